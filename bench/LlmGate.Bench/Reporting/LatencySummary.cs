using LlmGate.Bench.Load;

namespace LlmGate.Bench.Reporting;

/// <summary>Percentiles of one histogram, in milliseconds.</summary>
internal sealed record LatencySummary(double P50, double P90, double P99, double Max, double Mean)
{
    public static LatencySummary? From(LatencyHistogram histogram) => histogram.Count == 0
        ? null
        : new(
            Milliseconds(histogram.Percentile(50)),
            Milliseconds(histogram.Percentile(90)),
            Milliseconds(histogram.Percentile(99)),
            Milliseconds(histogram.Max),
            Math.Round(histogram.Mean / 1_000_000, 4));

    private static double Milliseconds(long nanoseconds) => Math.Round(nanoseconds / 1_000_000.0, 4);
}
