using System.Text;
using System.Text.Json;
using LlmGate.Calls;

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
        var toolCalls = new List<ChatToolCall>();
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
                        toolCalls.Add(new ChatToolCall(String(block, "id"), String(block, "name"), block.TryGetProperty("input", out var input) ? input.GetRawText() : "{}"));
                        break;
                }
            }
        }

        var chatUsage = AnthropicUsage.From(message.TryGetProperty("usage", out var u) ? u : default).ToChatUsage();
        usage = chatUsage.ToTokenUsage();
        return ChatCompletionWriter.Write(
            String(message, "id") ?? "chatcmpl-anthropic",
            String(message, "model") ?? fallbackModel,
            created,
            text.ToString(),
            reasoning.ToString(),
            toolCalls,
            AnthropicStopReasons.ToFinishReason(String(message, "stop_reason")),
            chatUsage,
            anthropicBody.Length);
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
