namespace LlmGate.Alerting.Conditions;

/// <summary>
/// One problem's occurrences since the background loop last looked, recorded on the request path. Only occurrences
/// (a failure, a slow answer, a cooldown) get here, never an ordinary success, so the short lock is taken on the rare
/// path alone, as <see cref="SlidingWindow"/> does; the tallies are keyed by status and configured deployment only.
/// </summary>
internal sealed class ConditionActivity
{
    public const int RecentCapacity = 5;

    private readonly Lock _lock = new();
    private readonly Queue<RecentFailure> _recent = new(RecentCapacity);
    private Dictionary<int, int>? _statuses;
    private Dictionary<string, int>? _deployments;
    private int _count;
    private DateTimeOffset _first;
    private DateTimeOffset _last;
    private long _max;

    public void Record(DateTimeOffset at, int status, string? deployment, long value = 0, RecentFailure? failure = null)
    {
        lock (_lock)
        {
            if (_count++ == 0)
            {
                _first = at;
                _max = value;
            }

            _last = at;
            _max = Math.Max(_max, value);
            if (status > 0)
            {
                _statuses ??= [];
                _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
            }

            if (deployment is not null)
            {
                _deployments ??= new Dictionary<string, int>(StringComparer.Ordinal);
                _deployments[deployment] = _deployments.GetValueOrDefault(deployment) + 1;
            }

            if (failure is { } recent)
            {
                if (_recent.Count == RecentCapacity)
                {
                    _recent.Dequeue();
                }

                _recent.Enqueue(recent);
            }
        }
    }

    /// <summary>What was recorded since the last call, and starts afresh; null when nothing was.</summary>
    public ActivityDelta? Drain()
    {
        lock (_lock)
        {
            if (_count == 0)
            {
                return null;
            }

            var delta = new ActivityDelta(
                _count,
                _first,
                _last,
                _statuses ?? new Dictionary<int, int>(),
                _deployments ?? new Dictionary<string, int>(StringComparer.Ordinal),
                _max,
                [.. _recent]);
            _count = 0;
            _statuses = null;
            _deployments = null;
            _recent.Clear();
            return delta;
        }
    }
}
