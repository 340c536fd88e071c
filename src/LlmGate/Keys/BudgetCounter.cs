using LlmGate.Configuration;

namespace LlmGate.Keys;

/// <summary>
/// One key's, team's or user's spend in this gateway's memory, which the request path reads and reserves against
/// without waiting on the store. Spend is what the store last said (<c>stored</c>), plus what is being written
/// (<c>flushing</c>), plus what is not written yet (<c>unflushed</c>); <c>reserved</c> is the most the calls in flight
/// can still cost. Only the spend writer moves money between the first three, one batch at a time.
/// </summary>
internal sealed class BudgetCounter(SpendEntityKind kind, string id)
{
    private readonly Lock _gate = new();
    private double _stored;
    private double _flushing;
    private double _unflushed;
    private double _reserved;
    private DateTimeOffset? _resetAt;
    private BudgetReset? _pendingReset;

    // Bumped when a budget period ends: money still being written then belongs to the period that ended.
    private int _period;

    public SpendEntityKind Kind { get; } = kind;

    public string Id { get; } = id;

    private int _queued;

    /// <summary>True for the caller that puts the counter in the writer's queue; false while it is there already.</summary>
    public bool TryQueue() => Interlocked.Exchange(ref _queued, 1) == 0;

    /// <summary>The writer took the counter off its queue (before taking its money, so that later spend queues it again).</summary>
    public void Dequeued() => Volatile.Write(ref _queued, 0);

    public double Spend
    {
        get
        {
            lock (_gate)
            {
                return _stored + _flushing + _unflushed;
            }
        }
    }

    public DateTimeOffset? ResetAt
    {
        get
        {
            lock (_gate)
            {
                return _resetAt;
            }
        }
    }

    /// <summary>
    /// What the store holds, read after every batch of this gateway's that it may contain. A store still in a period
    /// this counter has already ended (its reset not written yet) is behind: its spend is ignored.
    /// </summary>
    public void Load(double storedSpend, DateTimeOffset? storedResetAt)
    {
        lock (_gate)
        {
            if (_resetAt is { } local && (storedResetAt is null || storedResetAt < local) && _pendingReset is not null)
            {
                return;
            }

            _stored = storedSpend;
            _resetAt = storedResetAt;
        }
    }

    /// <summary>
    /// Reserves <paramref name="amount"/> when spend, what calls in flight reserved and it stay within
    /// <paramref name="maxBudget"/> (no budget: always). Returns the spend it checked against.
    /// </summary>
    public bool TryReserve(double amount, double? maxBudget, BudgetDuration? duration, DateTimeOffset now, out double spend)
    {
        lock (_gate)
        {
            RollOver(duration, now);
            spend = _stored + _flushing + _unflushed;
            if (maxBudget is { } max && (spend >= max || spend + _reserved + amount > max))
            {
                return false;
            }

            _reserved += amount;
            return true;
        }
    }

    /// <summary>A call ended: its reservation is released and its real cost added. True when there is now something to write.</summary>
    public bool Settle(double reserved, double cost, BudgetDuration? duration, DateTimeOffset now)
    {
        lock (_gate)
        {
            _reserved = Math.Max(0, _reserved - reserved);
            RollOver(duration, now);
            _unflushed += cost;
            return _unflushed != 0 || _pendingReset is not null;
        }
    }

    /// <summary>The writer takes what is unwritten: the amount, a reset to write first, and the period they belong to.</summary>
    public (double Amount, BudgetReset? Reset, int Period) TakeUnflushed()
    {
        lock (_gate)
        {
            var amount = _unflushed;
            _flushing += amount;
            _unflushed = 0;
            var reset = _pendingReset;
            _pendingReset = null;
            return (amount, reset, _period);
        }
    }

    /// <summary>The batch holding <paramref name="amount"/> is in the store.</summary>
    public void Committed(double amount, int period)
    {
        lock (_gate)
        {
            if (period != _period)
            {
                return; // the period ended meanwhile and took the in-flight money with it
            }

            _flushing -= amount;
            _stored += amount;
        }
    }

    // The period is over: spend starts again from 0 here at once, and the store is told by the next batch.
    private void RollOver(BudgetDuration? duration, DateTimeOffset now)
    {
        if (duration is not { } period)
        {
            return;
        }

        if (_resetAt is null)
        {
            _resetAt = period.After(now);
            _pendingReset = new BudgetReset(Kind, Id, null, _resetAt.Value);
            return;
        }

        if (now < _resetAt.Value)
        {
            return;
        }

        var expected = _pendingReset?.ExpectedResetAt ?? _resetAt;
        _resetAt = period.NextAfter(_resetAt.Value, now);
        _pendingReset = new BudgetReset(Kind, Id, expected, _resetAt.Value);
        _stored = 0;
        _flushing = 0;
        _unflushed = 0;
        _period++;
    }
}
