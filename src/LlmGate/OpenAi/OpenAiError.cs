using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace LlmGate.OpenAi;

/// <summary>Writes the one error shape every OpenAI client understands: <c>{"error":{"message","type","param","code"}}</c>.</summary>
internal static class OpenAiError
{
    /// <remarks>On the Anthropic Messages routes the same error is written in Anthropic's shape (<see cref="MessagesRoute"/>).</remarks>
    public static Task WriteAsync(HttpContext context, int status, string message, string type, string? param = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        var bytes = context.Features.Get<MessagesRoute>() is null ? Serialize(status, message, type, param) : AnthropicErrorBody.Serialize(status, message);
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    public static byte[] Serialize(int status, string message, string? type, string? param)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("message", message);
            writer.WriteString("type", type);
            writer.WriteString("param", param);
            writer.WriteString("code", status.ToString(CultureInfo.InvariantCulture));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
