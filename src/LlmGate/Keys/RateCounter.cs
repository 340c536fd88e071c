namespace LlmGate.Keys;

/// <summary>
/// A key's or team's requests and tokens in the current minute and its calls in flight, in this gateway's memory.
/// Windows are whole minutes (LiteLLM's 60-second window): a refusal says when the window ends.
/// </summary>
internal sealed class RateCounter
{
    private readonly Lock _gate = new();
    private long _minute = long.MinValue;
    private long _requests;
    private long _tokens;
    private long _inFlight;

    /// <summary>
    /// Counts a call in when every set limit allows it; otherwise counts nothing and names the limit met.
    /// <paramref name="remainingRequests"/> and <paramref name="remainingTokens"/> are what is left after it.
    /// </summary>
    public RateLimitKind? TryAcquire(EntityLimits limits, long minute, out long remainingRequests, out long remainingTokens)
    {
        lock (_gate)
        {
            if (minute != _minute)
            {
                (_minute, _requests, _tokens) = (minute, 0, 0);
            }

            remainingRequests = limits.RpmLimit is { } rpm ? Math.Max(0, rpm - _requests) : long.MaxValue;
            remainingTokens = limits.TpmLimit is { } tpm ? Math.Max(0, tpm - _tokens) : long.MaxValue;
            if (remainingRequests == 0)
            {
                return RateLimitKind.Requests;
            }

            if (remainingTokens == 0)
            {
                return RateLimitKind.Tokens;
            }

            if (limits.MaxParallelRequests is { } parallel && _inFlight >= parallel)
            {
                return RateLimitKind.ParallelRequests;
            }

            _requests++;
            _inFlight++;
            if (remainingRequests != long.MaxValue)
            {
                remainingRequests--;
            }

            return null;
        }
    }

    /// <summary>A call counted in ended, having used <paramref name="tokens"/>: they count in the minute it ended in.</summary>
    public void Release(long tokens, long minute)
    {
        lock (_gate)
        {
            _inFlight = Math.Max(0, _inFlight - 1);
            if (minute > _minute)
            {
                (_minute, _requests, _tokens) = (minute, 0, 0);
            }

            if (minute == _minute)
            {
                _tokens += tokens;
            }
        }
    }
}
