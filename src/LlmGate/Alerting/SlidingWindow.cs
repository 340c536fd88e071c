namespace LlmGate.Alerting;

/// <summary>
/// Counts events in the window (now - W, now] in bounded memory whatever the traffic. Events are coalesced into
/// about 1000 slots of W/1000, each remembered by its first (earliest) timestamp, so an event leaves the window at
/// most one slot early. The breakdown by model group / deployment / status uses 60 coarser buckets (it only
/// informs the page) and the five most recent events are kept for the event's details.
/// </summary>
internal sealed class SlidingWindow
{
    public const int RecentCapacity = 5;
    private const int SlotsPerWindow = 1000;
    private const int BucketsPerWindow = 60;

    private readonly Lock _lock = new();
    private readonly long _windowTicks;
    private readonly long _slotTicks;
    private readonly long _bucketTicks;
    private readonly AlertObservation?[] _recent = new AlertObservation?[RecentCapacity];
    private int _recentNext;

    // Allocated on the first event: most windows of a per-model-group gateway never see one.
    private long[]? _slotIndex;
    private long[]? _slotFirst;
    private int[]? _slotCount;
    private BreakdownBucket[]? _buckets;
    private List<(long First, int Count)>? _peakSlots; // Peak's scratch, reused under the lock

    public SlidingWindow(TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _windowTicks = window.Ticks;
        _slotTicks = Math.Max(1, (window.Ticks + SlotsPerWindow - 1) / SlotsPerWindow);
        _bucketTicks = Math.Max(1, (window.Ticks + BucketsPerWindow - 1) / BucketsPerWindow);
    }

    public TimeSpan Window => TimeSpan.FromTicks(_windowTicks);

    public void Record(in AlertObservation observation)
    {
        var ticks = observation.Timestamp.UtcTicks;
        lock (_lock)
        {
            EnsureAllocated();
            var slot = ticks / _slotTicks;
            var position = (int)(slot % _slotIndex!.Length);
            if (_slotIndex[position] != slot)
            {
                if (slot < _slotIndex[position])
                {
                    return; // older than the whole ring, so outside the window already
                }

                _slotIndex[position] = slot;
                _slotFirst![position] = ticks;
                _slotCount![position] = 0;
            }

            _slotCount![position]++;
            _slotFirst![position] = Math.Min(_slotFirst[position], ticks);

            var bucketIndex = ticks / _bucketTicks;
            var bucket = _buckets![(int)(bucketIndex % _buckets.Length)];
            bucket.Add(bucketIndex, ticks, new BreakdownKey(observation.ModelGroup, observation.DeploymentId, observation.Status));

            _recent[_recentNext] = observation;
            _recentNext = (_recentNext + 1) % RecentCapacity;
        }
    }

    public int Count(DateTimeOffset now)
    {
        var nowTicks = now.UtcTicks;
        lock (_lock)
        {
            if (_slotIndex is null)
            {
                return 0;
            }

            var count = 0;
            for (var i = 0; i < _slotIndex.Length; i++)
            {
                if (_slotIndex[i] != long.MinValue && InWindow(_slotFirst![i], nowTicks))
                {
                    count += _slotCount![i];
                }
            }

            return count;
        }
    }

    /// <summary>
    /// The most events any window ending in (since, now] held (at now, when since is now). The detector evaluates once a second, so
    /// <see cref="Count"/> alone would miss a burst that a tick splits in two (three failures in 0.3 s, one before the
    /// tick and two after, are never three in one sampled window of a second); like LiteLLM, which judges at every
    /// failure, the threshold is met when any window of W held that many.
    /// </summary>
    public int Peak(DateTimeOffset since, DateTimeOffset now)
    {
        var nowTicks = now.UtcTicks;
        var firstEnd = FirstEnd(since.UtcTicks, nowTicks, _windowTicks);
        lock (_lock)
        {
            if (_slotIndex is null)
            {
                return 0;
            }

            // The slots that can be in such a window, oldest first: a window's count only rises at an event, so the
            // other windows worth counting end at the events after firstEnd.
            var slots = _peakSlots ??= new List<(long First, int Count)>(_slotIndex.Length);
            slots.Clear();
            for (var i = 0; i < _slotIndex.Length; i++)
            {
                if (_slotIndex[i] != long.MinValue && _slotFirst![i] > firstEnd - _windowTicks && _slotFirst[i] <= nowTicks)
                {
                    slots.Add((_slotFirst[i], _slotCount![i]));
                }
            }

            slots.Sort();
            var peak = 0;
            var count = 0;
            var oldest = 0;
            for (var i = 0; i < slots.Count; i++)
            {
                count += slots[i].Count;
                var end = Math.Max(slots[i].First, firstEnd);
                while (!InWindow(slots[oldest].First, end))
                {
                    count -= slots[oldest++].Count;
                }

                peak = Math.Max(peak, count);
            }

            return peak;
        }
    }

    /// <summary>
    /// Where the first window <see cref="Peak"/> counts ends, in ticks: just after since (windows that ended before were
    /// judged before; one window back at most), or at now when since is now.
    /// </summary>
    internal static long FirstEnd(long since, long now, long window) => Math.Min(Math.Clamp(since, now - window, now) + 1, now);

    public WindowSnapshot Snapshot(DateTimeOffset now)
    {
        var count = Count(now);
        var nowTicks = now.UtcTicks;
        lock (_lock)
        {
            if (_buckets is null)
            {
                return WindowSnapshot.Empty;
            }

            var breakdown = new Dictionary<BreakdownKey, int>();
            foreach (var bucket in _buckets)
            {
                if (bucket.Index != long.MinValue && InWindow(bucket.First, nowTicks))
                {
                    foreach (var (key, keyCount) in bucket.Counts)
                    {
                        breakdown[key] = breakdown.GetValueOrDefault(key) + keyCount;
                    }
                }
            }

            var recent = new List<AlertObservation>(RecentCapacity);
            for (var i = 1; i <= RecentCapacity; i++)
            {
                var observation = _recent[(_recentNext - i + RecentCapacity) % RecentCapacity];
                if (observation is { } o && InWindow(o.Timestamp.UtcTicks, nowTicks))
                {
                    recent.Add(o);
                }
            }

            return new WindowSnapshot(count, breakdown, recent);
        }
    }

    // The window is (now - W, now]: an event exactly W old is outside.
    private bool InWindow(long ticks, long nowTicks) => ticks > nowTicks - _windowTicks && ticks <= nowTicks;

    private void EnsureAllocated()
    {
        if (_slotIndex is not null)
        {
            return;
        }

        // One slot more than W / slot width so the ring always covers the whole window.
        var slots = (int)((_windowTicks + _slotTicks - 1) / _slotTicks) + 1;
        _slotIndex = new long[slots];
        Array.Fill(_slotIndex, long.MinValue);
        _slotFirst = new long[slots];
        _slotCount = new int[slots];

        var buckets = (int)((_windowTicks + _bucketTicks - 1) / _bucketTicks) + 1;
        _buckets = new BreakdownBucket[buckets];
        for (var i = 0; i < buckets; i++)
        {
            _buckets[i] = new BreakdownBucket();
        }
    }
}
