using LlmGate.Bench.Reporting;

namespace LlmGate.Bench.Runner;

/// <summary>Reduces the points of several rounds to one per target, scenario and concurrency: the round with the median req/s.</summary>
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
                };
            })
            .OrderBy(p => IndexOf(targetOrder, p.Target))
            .ToArray();

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
