namespace LlmGate.Alerting.Delivery;

/// <summary>
/// Keeps a channel's delivery under PagerDuty's limit of about 120 events a minute per routing key: a burst of
/// <see cref="Capacity"/>, then one event every 500 ms. Each sender has its own, and only its loop uses it, so it
/// needs no lock.
/// </summary>
internal sealed class TokenBucket
{
    public const int Capacity = 10;
    public static readonly TimeSpan RefillInterval = TimeSpan.FromMilliseconds(500);

    private readonly TimeProvider _time;
    private double _tokens = Capacity;
    private long _lastRefill;

    public TokenBucket(TimeProvider time)
    {
        _time = time;
        _lastRefill = time.GetTimestamp();
    }

    /// <summary>Takes a token, or says how long until one is there.</summary>
    public bool TryTake(out TimeSpan wait)
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(Capacity, _tokens + (_time.GetElapsedTime(_lastRefill, now) / RefillInterval));
        _lastRefill = now;
        if (_tokens >= 1)
        {
            _tokens -= 1;
            wait = TimeSpan.Zero;
            return true;
        }

        wait = RefillInterval * (1 - _tokens);
        return false;
    }
}
