namespace LlmGate.Keys;

/// <summary>Which of a key's or team's limits a call met, in LiteLLM's words (<c>Limit type: ...</c>).</summary>
internal enum RateLimitKind
{
    Requests,
    Tokens,
    ParallelRequests,
}
