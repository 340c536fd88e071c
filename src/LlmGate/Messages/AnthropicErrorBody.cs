using System.Buffers;
using System.Text.Json;
using LlmGate.OpenAi;
using LlmGate.Providers.Messages;

namespace LlmGate.Messages;

/// <summary>Anthropic's error shape, <c>{"type":"error","error":{"type","message"}}</c>, as a body and as a stream's error event.</summary>
internal static class AnthropicErrorBody
{
    public static byte[] Serialize(int status, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, status, message);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>event: error</c> with the same body: how a Messages stream says it failed after it began.</summary>
    public static byte[] SerializeEvent(int status, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write("event: error\ndata: "u8);
        Write(buffer, status, message);
        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(IBufferWriter<byte> buffer, int status, string message)
    {
        using var writer = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("type", "error");
        writer.WriteStartObject("error");
        writer.WriteString("type", MessagesErrors.TypeFor(status));
        writer.WriteString("message", message);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
