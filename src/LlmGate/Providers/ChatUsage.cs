using System.Text.Json;
using LlmGate.Calls;

namespace LlmGate.Providers;

/// <summary>
/// A translated answer's token counts in OpenAI's <c>usage</c> shape. The details objects appear only when they have
/// something to say, as OpenAI-compatible servers send them.
/// </summary>
internal readonly record struct ChatUsage(long PromptTokens, long CompletionTokens, long TotalTokens, long CachedTokens = 0, long ReasoningTokens = 0)
{
    public TokenUsage ToTokenUsage() => new(PromptTokens, CompletionTokens, CachedTokens);

    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", PromptTokens);
        writer.WriteNumber("completion_tokens", CompletionTokens);
        writer.WriteNumber("total_tokens", TotalTokens);
        if (CachedTokens > 0)
        {
            writer.WriteStartObject("prompt_tokens_details");
            writer.WriteNumber("cached_tokens", CachedTokens);
            writer.WriteEndObject();
        }

        if (ReasoningTokens > 0)
        {
            writer.WriteStartObject("completion_tokens_details");
            writer.WriteNumber("reasoning_tokens", ReasoningTokens);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
