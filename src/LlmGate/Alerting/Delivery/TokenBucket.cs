namespace LlmGate.Alerting.Delivery;

/// <summary>
/// Keeps a channel's delivery under its <see cref="DeliveryRateLimit"/> (PagerDuty: about 120 events a minute per
/// routing key; a chat webhook: about one a second). Each sender has its own, and only its loop uses it, so it needs
/// no lock.
/// </summary>
internal sealed class TokenBucket
{
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly TimeSpan _refillInterval;
    private double _tokens;
    private long _lastRefill;

    public TokenBucket(TimeProvider time, DeliveryRateLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        _time = time;
        _capacity = limit.Capacity;
        _refillInterval = limit.RefillInterval;
        _tokens = _capacity;
        _lastRefill = time.GetTimestamp();
    }

    /// <summary>Takes a token, or says how long until one is there.</summary>
    public bool TryTake(out TimeSpan wait)
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_capacity, _tokens + (_time.GetElapsedTime(_lastRefill, now) / _refillInterval));
        _lastRefill = now;
        if (_tokens >= 1)
        {
            _tokens -= 1;
            wait = TimeSpan.Zero;
            return true;
        }

        wait = _refillInterval * (1 - _tokens);
        return false;
    }
}
