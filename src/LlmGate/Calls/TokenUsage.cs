namespace LlmGate.Calls;

/// <summary>Tokens a call used, as the provider reported them (OpenAI's <c>usage</c>).</summary>
internal sealed record TokenUsage(long PromptTokens, long CompletionTokens, long CachedPromptTokens = 0)
{
    public long TotalTokens => PromptTokens + CompletionTokens;
}
