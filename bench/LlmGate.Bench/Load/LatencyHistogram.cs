using System.Numerics;

namespace LlmGate.Bench.Load;

/// <summary>
/// A log-linear histogram of nanoseconds, safe for concurrent recording: exact below 512 ns, then 256 buckets per
/// power of two (at most 0.4 % error), up to about 18 minutes. Fixed memory whatever the number of samples.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 8;
    private const int SubBucketCount = 1 << SubBucketBits;
    private const int MaxShift = 32;

    private readonly long[] _counts = new long[(MaxShift + 2) * SubBucketCount];
    private long _count;
    private long _sum;
    private long _max;

    public long Count => Interlocked.Read(ref _count);

    public long Max => Interlocked.Read(ref _max);

    public double Mean => Count == 0 ? 0 : (double)Interlocked.Read(ref _sum) / Count;

    public void Record(long nanoseconds)
    {
        var value = Math.Max(0, nanoseconds);
        Interlocked.Increment(ref _counts[Index(value)]);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sum, value);
        var max = Interlocked.Read(ref _max);
        while (value > max)
        {
            var seen = Interlocked.CompareExchange(ref _max, value, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>The value below which <paramref name="percentile"/> % of the samples fall (the middle of its bucket); 0 when empty.</summary>
    public long Percentile(double percentile)
    {
        var count = Count;
        if (count == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank)
            {
                var (lowest, width) = Bucket(i);
                return Math.Min(lowest + (width / 2), Max);
            }
        }

        return Max;
    }

    internal static int Index(long value)
    {
        if (value < 2 * SubBucketCount)
        {
            return (int)value;
        }

        var shift = 63 - BitOperations.LeadingZeroCount((ulong)value) - SubBucketBits;
        if (shift > MaxShift)
        {
            return ((MaxShift + 2) * SubBucketCount) - 1;
        }

        return ((shift + 1) * SubBucketCount) + (int)(value >> shift) - SubBucketCount;
    }

    internal static (long Lowest, long Width) Bucket(int index)
    {
        if (index < 2 * SubBucketCount)
        {
            return (index, 1);
        }

        var shift = (index / SubBucketCount) - 1;
        return ((long)((index % SubBucketCount) + SubBucketCount) << shift, 1L << shift);
    }
}
