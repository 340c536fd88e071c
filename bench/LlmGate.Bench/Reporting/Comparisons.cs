namespace LlmGate.Bench.Reporting;

/// <summary>Fills in each point's comparison with the direct target (added latency) and the bare proxy (ratios).</summary>
internal static class Comparisons
{
    public const string Direct = "direct";
    public const string BareProxy = "yarp";

    public static IReadOnlyList<PointResult> Add(IReadOnlyList<PointResult> points)
    {
        PointResult? Find(string target, PointResult like) =>
            points.FirstOrDefault(p => p.Target == target && p.Scenario == like.Scenario && p.Concurrency == like.Concurrency && p.Requests > 0);

        return points.Select(point =>
        {
            var direct = Find(Direct, point);
            var bare = Find(BareProxy, point);
            return point with
            {
                AddedP50Ms = Difference(point.LatencyMs?.P50, direct?.LatencyMs?.P50),
                AddedP99Ms = Difference(point.LatencyMs?.P99, direct?.LatencyMs?.P99),
                ThroughputVsBareProxy = Ratio(point.RequestsPerSecond, bare?.RequestsPerSecond),
                CpuVsBareProxy = Ratio(point.CpuMsPer1kRequests, bare?.CpuMsPer1kRequests),
            };
        }).ToArray();
    }

    /// <summary>The steady state the first seconds and wrk are compared with: the harness's chat point at 64 connections.</summary>
    public const int HeadlineConcurrency = 64;

    public static IReadOnlyList<TargetResult> Add(IReadOnlyList<TargetResult> results, IReadOnlyList<PointResult> points) =>
        results.Select(result =>
        {
            var steady = points.FirstOrDefault(p => p.Target == result.Target && p.Scenario == "chat" && p.Concurrency == HeadlineConcurrency && p.Requests > 0);
            return result with
            {
                SteadyRequestsPerSecond = steady?.RequestsPerSecond,
                FirstSecondsVsSteady = result.FirstSecondsRequestsPerSecond is { } first ? Ratio(first, steady?.RequestsPerSecond) : null,
                WrkVsHarness = result.WrkRequestsPerSecond is { } wrk ? Ratio(wrk, steady?.RequestsPerSecond) : null,
            };
        }).ToArray();

    private static double? Difference(double? value, double? baseline) =>
        value is { } v && baseline is { } b ? Math.Round(v - b, 4) : null;

    private static double? Ratio(double value, double? baseline) =>
        baseline is { } b && b > 0 && value > 0 ? Math.Round(value / b, 3) : null;
}
