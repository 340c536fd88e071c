using System.Buffers;
using System.Text;
using System.Text.Json;
using LlmGate.Calls;
using LlmGate.OpenAi;

namespace LlmGate.Providers;

/// <summary>Turns an Anthropic message into an OpenAI <c>chat.completion</c>: text, tool calls, finish reason and usage.</summary>
internal static class AnthropicResponseTranslator
{
    public static byte[] Translate(ReadOnlySpan<byte> anthropicBody, string fallbackModel, long created) =>
        Translate(anthropicBody, fallbackModel, created, out _);

    /// <param name="usage">The message's token counts, as the client's <c>usage</c> reports them.</param>
    public static byte[] Translate(ReadOnlySpan<byte> anthropicBody, string fallbackModel, long created, out TokenUsage usage)
    {
        using var document = JsonDocument.Parse(anthropicBody.ToArray());
        var message = document.RootElement;
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var toolCalls = new List<JsonElement>();
        if (message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in content.EnumerateArray())
            {
                switch (String(block, "type"))
                {
                    case "text":
                        text.Append(String(block, "text"));
                        break;
                    case "thinking":
                        reasoning.Append(String(block, "thinking"));
                        break;
                    case "tool_use":
                        toolCalls.Add(block);
                        break;
                }
            }
        }

        var buffer = new ArrayBufferWriter<byte>(anthropicBody.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id", String(message, "id") ?? "chatcmpl-anthropic");
            writer.WriteString("object", "chat.completion");
            writer.WriteNumber("created", created);
            writer.WriteString("model", String(message, "model") ?? fallbackModel);
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WriteStartObject("message");
            writer.WriteString("role", "assistant");
            if (text.Length > 0 || toolCalls.Count == 0)
            {
                writer.WriteString("content", text.ToString());
            }
            else
            {
                writer.WriteNull("content");
            }

            if (reasoning.Length > 0)
            {
                writer.WriteString("reasoning_content", reasoning.ToString());
            }

            if (toolCalls.Count > 0)
            {
                writer.WriteStartArray("tool_calls");
                foreach (var call in toolCalls)
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", String(call, "id"));
                    writer.WriteString("type", "function");
                    writer.WriteStartObject("function");
                    writer.WriteString("name", String(call, "name"));
                    writer.WriteString("arguments", call.TryGetProperty("input", out var input) ? input.GetRawText() : "{}");
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
            writer.WriteString("finish_reason", FinishReason(String(message, "stop_reason")));
            writer.WriteEndObject();
            writer.WriteEndArray();
            var chatUsage = AnthropicUsage.From(message.TryGetProperty("usage", out var u) ? u : default).ToChatUsage();
            chatUsage.Write(writer);
            usage = chatUsage.ToTokenUsage();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Anthropic's <c>stop_reason</c> as OpenAI's <c>finish_reason</c>.</summary>
    public static string FinishReason(string? stopReason) => stopReason switch
    {
        "max_tokens" or "model_context_window_exceeded" => "length",
        "tool_use" => "tool_calls",
        "refusal" => "content_filter",
        _ => "stop",
    };

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
