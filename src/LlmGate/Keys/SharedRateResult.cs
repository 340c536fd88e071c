namespace LlmGate.Keys;

/// <summary>What the shared counters said: the limit met (null: counted in), and what is left this minute.</summary>
internal sealed record SharedRateResult(RateLimitKind? Refused, long RemainingRequests, long RemainingTokens);
