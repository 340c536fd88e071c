namespace LlmGate.Ui.Live;

/// <summary>A fixed log-spaced histogram of milliseconds: 13 upper bounds and an overflow bucket, percentiles by interpolation.</summary>
internal static class UiHistogram
{
    public static readonly double[] UpperBoundsMs = [5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000];

    public static int Buckets => UpperBoundsMs.Length + 1;

    public static int BucketOf(double milliseconds)
    {
        for (var i = 0; i < UpperBoundsMs.Length; i++)
        {
            if (milliseconds <= UpperBoundsMs[i])
            {
                return i;
            }
        }

        return UpperBoundsMs.Length;
    }

    /// <summary>The <paramref name="quantile"/> (0..1) of <paramref name="counts"/>, interpolated inside its bucket; null when empty.</summary>
    public static double? Percentile(ReadOnlySpan<long> counts, double quantile)
    {
        long total = 0;
        foreach (var count in counts)
        {
            total += count;
        }

        if (total == 0)
        {
            return null;
        }

        var target = quantile * total;
        long cumulative = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0)
            {
                continue;
            }

            if (cumulative + counts[i] >= target)
            {
                var lower = i == 0 ? 0 : UpperBoundsMs[i - 1];
                if (i >= UpperBoundsMs.Length)
                {
                    return lower; // the overflow bucket has no upper bound: say "at least"
                }

                var fraction = (target - cumulative) / counts[i];
                return Math.Round(lower + (fraction * (UpperBoundsMs[i] - lower)), 1);
            }

            cumulative += counts[i];
        }

        return UpperBoundsMs[^1];
    }
}
