using LlmGate.Bench.Reporting;

namespace LlmGate.Bench.Runner;

/// <summary>
/// Reduces several rounds to one result per target (and scenario and concurrency): a point is the round with the
/// median req/s, its runtime figures (allocations, collections, threads) each the median of the rounds; start-up
/// time, first-seconds throughput, wrk and idle-stream figures are each the median of the rounds too.
/// </summary>
internal static class Rounds
{
    public static IReadOnlyList<PointResult> Median(IReadOnlyList<PointResult> points, IReadOnlyList<string> targetOrder) =>
        points
            .GroupBy(p => (p.Target, p.Scenario, p.Concurrency))
            .Select(group =>
            {
                var rounds = group.ToArray();
                if (rounds.Length == 1)
                {
                    return rounds[0];
                }

                var median = rounds.OrderBy(p => p.RequestsPerSecond).ElementAt(rounds.Length / 2);
                return median with
                {
                    RoundsRequestsPerSecond = rounds.Select(p => p.RequestsPerSecond).ToArray(),
                    RoundsCpuMsPer1kRequests = rounds.Select(p => p.CpuMsPer1kRequests).ToArray(),
                    AllocatedBytesPerRequest = Of(rounds.Select(p => p.AllocatedBytesPerRequest)),
                    Gen0Per1kRequests = Of(rounds.Select(p => p.Gen0Per1kRequests)),
                    Gen1Per1kRequests = Of(rounds.Select(p => p.Gen1Per1kRequests)),
                    Gen2Per1kRequests = Of(rounds.Select(p => p.Gen2Per1kRequests)),
                    HeapMibEnd = Of(rounds.Select(p => p.HeapMibEnd)),
                    GcCommittedMibEnd = Of(rounds.Select(p => p.GcCommittedMibEnd)),
                    ThreadsEnd = OfInt(rounds.Select(p => p.ThreadsEnd)),
                    ThreadPoolThreadsEnd = OfInt(rounds.Select(p => p.ThreadPoolThreadsEnd)),
                    OpenFdsEnd = OfInt(rounds.Select(p => p.OpenFdsEnd)),
                };
            })
            .OrderBy(p => IndexOf(targetOrder, p.Target))
            .ToArray();

    public static IReadOnlyList<TargetResult> Median(IReadOnlyList<TargetResult> results, IReadOnlyList<string> targetOrder) =>
        results
            .GroupBy(r => r.Target)
            .Select(group =>
            {
                var rounds = group.ToArray();
                var startups = rounds.SelectMany(r => r.StartupSamplesMs).ToArray();
                var wrk = rounds.Where(r => r.WrkRequestsPerSecond is not null).OrderBy(r => r.WrkRequestsPerSecond).ToArray();
                return new TargetResult
                {
                    Target = group.Key,
                    StartupMs = Of(startups.Select(s => (double?)s)),
                    StartupSamplesMs = startups,
                    FirstSecondsRequestsPerSecond = Of(rounds.Select(r => r.FirstSecondsRequestsPerSecond)),
                    FirstSecondsWindowSeconds = Of(rounds.Select(r => r.FirstSecondsWindowSeconds)),
                    FirstSecondsErrors = rounds.Any(r => r.FirstSecondsErrors is not null) ? rounds.Sum(r => r.FirstSecondsErrors ?? 0) : null,
                    WrkRequestsPerSecond = Of(rounds.Select(r => r.WrkRequestsPerSecond)),
                    WrkNon2xx = rounds.Any(r => r.WrkNon2xx is not null) ? rounds.Sum(r => r.WrkNon2xx ?? 0) : null,
                    WrkSocketErrors = wrk.Length == 0 ? null : wrk[wrk.Length / 2].WrkSocketErrors,
                    RoundsFirstSecondsRequestsPerSecond = rounds.Length > 1 ? Values(rounds.Select(r => r.FirstSecondsRequestsPerSecond)) : null,
                    RoundsWrkRequestsPerSecond = rounds.Length > 1 ? Values(rounds.Select(r => r.WrkRequestsPerSecond)) : null,
                };
            })
            .OrderBy(r => IndexOf(targetOrder, r.Target))
            .ToArray();

    /// <summary>Per target, the round with the median KB per stream; its errors are every round's.</summary>
    public static IReadOnlyList<IdleStreamsResult> Median(IReadOnlyList<IdleStreamsResult> results, IReadOnlyList<string> targetOrder) =>
        results
            .GroupBy(r => r.Target)
            .Select(group =>
            {
                var rounds = group.ToArray();
                if (rounds.Length == 1)
                {
                    return rounds[0];
                }

                var median = rounds.OrderBy(r => r.KbPerStream).ElementAt(rounds.Length / 2);
                return median with
                {
                    Errors = rounds.Sum(r => r.Errors),
                    ErrorKinds = rounds.SelectMany(r => r.ErrorKinds).GroupBy(e => e.Key).ToDictionary(e => e.Key, e => e.Sum(x => x.Value), StringComparer.Ordinal),
                    RoundsKbPerStream = rounds.Select(r => r.KbPerStream).ToArray(),
                };
            })
            .OrderBy(r => IndexOf(targetOrder, r.Target))
            .ToArray();

    /// <summary>The median of the values present (the mean of the middle two of an even count); null when none is.</summary>
    internal static double? Of(IEnumerable<double?> values)
    {
        var sorted = Values(values).Order().ToArray();
        return sorted.Length switch
        {
            0 => null,
            var n when n % 2 == 1 => sorted[n / 2],
            var n => Math.Round((sorted[(n / 2) - 1] + sorted[n / 2]) / 2, 2),
        };
    }

    private static int? OfInt(IEnumerable<int?> values) => Of(values.Select(v => (double?)v)) is { } median ? (int)median : null;

    private static double[] Values(IEnumerable<double?> values) => values.Where(v => v is not null).Select(v => v!.Value).ToArray();

    private static int IndexOf(IReadOnlyList<string> order, string target)
    {
        for (var i = 0; i < order.Count; i++)
        {
            if (order[i] == target)
            {
                return i;
            }
        }

        return order.Count;
    }
}
