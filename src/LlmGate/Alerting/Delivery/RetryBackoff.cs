namespace LlmGate.Alerting.Delivery;

/// <summary>
/// Waits between delivery attempts: 500 ms doubled after each failure, capped at 60 s, with ±20 % jitter so
/// replicas that failed together do not retry together. A Retry-After from the channel wins (capped at 10 minutes).
/// </summary>
internal sealed class RetryBackoff(Func<double> nextRandom)
{
    public static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(10);
    public const double Jitter = 0.2;

    public RetryBackoff()
        : this(Random.Shared.NextDouble)
    {
    }

    /// <summary>The wait after the <paramref name="attempts"/>-th failed attempt (1-based).</summary>
    public TimeSpan Next(int attempts, TimeSpan? retryAfter)
    {
        if (retryAfter is { } asked)
        {
            return asked < TimeSpan.Zero ? TimeSpan.Zero : asked > MaxRetryAfter ? MaxRetryAfter : asked;
        }

        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var baseMs = Math.Min(Initial.TotalMilliseconds * Math.Pow(2, exponent), Cap.TotalMilliseconds);
        var factor = 1 - Jitter + (2 * Jitter * nextRandom());
        return TimeSpan.FromMilliseconds(Math.Min(baseMs * factor, Cap.TotalMilliseconds));
    }
}
