namespace LlmGate.Routing;

/// <summary>
/// How long to wait before retrying the same deployment: 0.5 s doubled per retry up to 8 s with ±20 % jitter, or
/// the upstream's Retry-After when it sent one, never less than <c>retry_after</c>. A Retry-After above a minute is
/// not waited for inside a client's request: null, so the router gives up on that deployment instead.
/// </summary>
internal static class RetryDelay
{
    public static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(8);
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);
    public const double Jitter = 0.2;

    /// <param name="retry">1 for the first retry.</param>
    /// <param name="random01">A uniform number in [0, 1) for the jitter.</param>
    public static TimeSpan? SameDeployment(int retry, TimeSpan? retryAfter, TimeSpan minimum, double random01)
    {
        if (retryAfter is { } asked)
        {
            if (asked > MaxRetryAfter)
            {
                return null;
            }

            return asked > minimum ? asked : minimum;
        }

        var exponent = Math.Clamp(retry - 1, 0, 10);
        var baseMs = Math.Min(Initial.TotalMilliseconds * Math.Pow(2, exponent), Cap.TotalMilliseconds);
        var wait = TimeSpan.FromMilliseconds(baseMs * (1 - Jitter + (2 * Jitter * random01)));
        return wait > minimum ? wait : minimum;
    }
}
