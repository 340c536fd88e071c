namespace LlmGate.Alerting;

/// <summary>One coarse time bucket of a <see cref="SlidingWindow"/>'s breakdown; the window's lock guards it.</summary>
internal sealed class BreakdownBucket
{
    // Bounds memory if model groups or deployments were ever unbounded: the rest is counted as "(other)".
    private const int MaxKeys = 256;

    public long Index { get; private set; } = long.MinValue;

    public long First { get; private set; }

    public Dictionary<BreakdownKey, int> Counts { get; } = [];

    public void Add(long index, long ticks, BreakdownKey key)
    {
        if (index != Index)
        {
            if (index < Index)
            {
                return; // older than the ring: outside the window already
            }

            Index = index;
            First = ticks;
            Counts.Clear();
        }

        First = Math.Min(First, ticks);
        if (Counts.Count >= MaxKeys && !Counts.ContainsKey(key))
        {
            key = BreakdownKey.Overflow;
        }

        Counts[key] = Counts.GetValueOrDefault(key) + 1;
    }
}
