using System.Text;
using System.Text.Json;
using LlmGate.Calls;

namespace LlmGate.Providers.Cohere;

/// <summary>
/// Turns Cohere's v2 chat response (<c>{id, finish_reason, message{content, tool_plan, tool_calls}, usage}</c>) into an
/// OpenAI <c>chat.completion</c>: text parts as <c>content</c>, thinking parts and the tool plan as
/// <c>reasoning_content</c>, tool calls as they are, finish reason and usage.
/// </summary>
internal static class CohereResponseTranslator
{
    /// <param name="model">The model the client is told, as it asked for it.</param>
    /// <param name="usage">The answer's token counts, as the client's <c>usage</c> reports them.</param>
    /// <exception cref="JsonException">The body is not a Cohere chat response.</exception>
    public static byte[] Translate(ReadOnlySpan<byte> cohereBody, string model, long created, out TokenUsage usage)
    {
        using var document = JsonDocument.Parse(cohereBody.ToArray());
        var root = document.RootElement;
        var message = ProviderJson.Property(root, "message");
        if (message.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The body is not a Cohere chat response: it has no 'message'.");
        }

        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        if (ProviderJson.Property(message, "content") is { ValueKind: JsonValueKind.Array } content)
        {
            foreach (var part in content.EnumerateArray())
            {
                switch (ProviderJson.String(part, "type"))
                {
                    case "text":
                        text.Append(ProviderJson.String(part, "text"));
                        break;
                    case "thinking":
                        reasoning.Append(ProviderJson.String(part, "thinking"));
                        break;
                }
            }
        }

        // The plan Cohere writes before calling tools is its reasoning, not its answer.
        reasoning.Append(ProviderJson.String(message, "tool_plan"));
        List<ChatToolCall> calls = ProviderJson.Property(message, "tool_calls") is { ValueKind: JsonValueKind.Array } list
            ? [.. list.EnumerateArray().Select(ToolCall)]
            : [];
        var chatUsage = CohereUsage.From(ProviderJson.Property(root, "usage"));
        usage = chatUsage.ToTokenUsage();
        var choice = new ChatChoice(
            0,
            text.Length > 0 ? text.ToString() : null,
            reasoning.Length > 0 ? reasoning.ToString() : null,
            calls,
            CohereFinishReasons.ToOpenAi(ProviderJson.String(root, "finish_reason"), calls.Count > 0));
        return ChatCompletionWriter.Write(CompletionId(root), model, created, [choice], chatUsage, cohereBody.Length + 256);
    }

    private static ChatToolCall ToolCall(JsonElement call)
    {
        var function = ProviderJson.Property(call, "function");
        return new ChatToolCall(ProviderJson.String(call, "id") ?? ProviderJson.NewId("call_"), ProviderJson.String(function, "name"), ProviderJson.Arguments(ProviderJson.Property(function, "arguments")));
    }

    /// <summary><c>chatcmpl-</c> and Cohere's id, or a fresh id where Cohere gave none.</summary>
    public static string CompletionId(JsonElement response) =>
        ProviderJson.String(response, "id") is { Length: > 0 } id ? "chatcmpl-" + id : ProviderJson.NewId("chatcmpl-");
}
