namespace LlmGate.Alerting.Delivery;

/// <summary>An HTTP answer's <c>Retry-After</c> as a wait from now: its seconds, or the time until its date (never negative); null when absent.</summary>
internal static class RetryAfterHeader
{
    public static TimeSpan? Of(HttpResponseMessage response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta;
        }

        if (retryAfter?.Date is { } date)
        {
            var wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
