using System.Buffers;
using System.Text.Json;

namespace LlmGate.OpenAi;

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

    /// <summary>Anthropic's error type for a status (its documented table; other 4xx as Anthropic answers them).</summary>
    public static string TypeFor(int status) => status switch
    {
        400 => "invalid_request_error",
        401 => "authentication_error",
        402 => "billing_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        // 503 is the gateway's "no deployment can take it now", which Anthropic's clients know as 529 overloaded.
        503 or 529 => "overloaded_error",
        // Anthropic documents no type for a timeout; its clients retry any 5xx, so 408 is counted with them.
        408 => "api_error",
        >= 400 and < 500 => "invalid_request_error",
        _ => "api_error",
    };

    private static void Write(IBufferWriter<byte> buffer, int status, string message)
    {
        using var writer = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions);
        Write(writer, TypeFor(status), message);
    }

    /// <summary>Writes <c>{"type":"error","error":{"type","message"}}</c>.</summary>
    public static void Write(Utf8JsonWriter writer, string type, string message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("type", "error");
        writer.WriteStartObject("error");
        writer.WriteString("type", type);
        writer.WriteString("message", message);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
