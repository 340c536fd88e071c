namespace LlmGate.Bench.Soak;

/// <summary>
/// The soak's rule. The baseline is the first sample at or after 60 s (in a run shorter than 3 minutes, at or after a
/// third of it, so the 60 s form still has a baseline and a window after it); the final value of each metric is the
/// median of the last three samples, so one noisy sample neither fails nor passes a run. A metric fails when its final
/// value exceeds the baseline by more than 5 %; the small counts (threads, descriptors, connections) may also grow by
/// <see cref="CountSlack"/>, whichever is more, because a connection opening or a pool thread starting at the moment of a
/// sample is not a leak.
/// </summary>
internal static class SoakVerdict
{
    public const double AllowedGrowth = 0.05;

    public const int CountSlack = 4;

    private const int FinalSamples = 3;

    private static readonly (string Name, Func<SoakSample, double?> Value, bool IsCount)[] Metrics =
    [
        ("RSS MiB", s => s.RssMib, false),
        ("GC heap MiB", s => s.GcHeapMib, false),
        ("threads", s => s.Threads, true),
        ("open fds", s => s.Fds, true),
        ("TCP connections", s => s.TcpTotal, true),
    ];

    /// <summary>The index of the baseline sample for a run of <paramref name="duration"/>; -1 when none is far enough from the end.</summary>
    public static int BaselineIndex(IReadOnlyList<SoakSample> samples, TimeSpan duration)
    {
        var at = duration >= TimeSpan.FromMinutes(3) ? 60 : duration.TotalSeconds / 3;
        for (var i = 0; i < samples.Count; i++)
        {
            // A tenth of a second early still counts: samples are taken on a 10 s beat, not to the millisecond.
            if (samples[i].Seconds >= at - 0.1)
            {
                return i <= samples.Count - FinalSamples - 1 ? i : -1;
            }
        }

        return -1;
    }

    public static IReadOnlyList<SoakCheck> Evaluate(IReadOnlyList<SoakSample> samples, int baselineIndex)
    {
        var checks = new List<SoakCheck>();
        var baseline = samples[baselineIndex];
        var last = samples.Skip(samples.Count - FinalSamples).ToArray();
        foreach (var (name, value, isCount) in Metrics)
        {
            var values = last.Select(value).OfType<double>().ToArray();
            if (value(baseline) is not { } start || values.Length == 0)
            {
                continue;
            }

            var final = Median(values);
            var allowed = Math.Round(isCount ? Math.Max(start * AllowedGrowth, CountSlack) : start * AllowedGrowth, 2);
            checks.Add(new SoakCheck(name, start, final, allowed, final - start <= allowed));
        }

        return checks;
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        return values.Length % 2 == 1 ? values[values.Length / 2] : (values[(values.Length / 2) - 1] + values[values.Length / 2]) / 2;
    }
}
