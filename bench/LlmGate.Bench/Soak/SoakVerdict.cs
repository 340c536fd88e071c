namespace LlmGate.Bench.Soak;

/// <summary>
/// The soak's rule. The run's clock starts when the warm-up ends: the first sample, 10 s or more into the load, over
/// whose interval the JIT compiled fewer than <see cref="SettledJitGrowth"/> new methods (of those compiled so far), or
/// <see cref="MaxWarmUp"/> at the latest. Until then RSS grows with the code the JIT writes (tiering up the hot paths):
/// about 5,700 methods and 30 MiB, in 20 s on an idle machine and in 50 s on a busy one, so a baseline taken by the wall
/// clock alone could fall inside it. The baseline is then the first sample at or after 60 s of the run (in a run shorter
/// than 3 minutes, at or after a third of it, so the 60 s form still has a baseline and a window after it); the final value of each metric is the
/// median of the last three samples, so one noisy sample neither fails nor passes a run. A metric fails when its final
/// value exceeds the baseline by more than 5 %; the small counts (threads, descriptors, connections) may also grow by
/// <see cref="CountSlack"/>, whichever is more, because a connection opening or a pool thread starting at the moment of a
/// sample is not a leak. The GC heap, measured right after a full compacting collection, is a few MiB of live objects
/// of which the requests in flight at that moment are a visible part: it may grow by 5 % or <see cref="HeapSlackMib"/>,
/// whichever is more (a leak of one byte per request passes that within minutes at the soak's rate). TCP connections
/// also allow one per client that opens a fresh connection for each request (the timeouts' and the disconnects'):
/// each comes and goes with its own connection to the gateway and the gateway's to the upstream, so a sample sees
/// anything between none and both of them.
/// </summary>
internal static class SoakVerdict
{
    public const double AllowedGrowth = 0.05;

    public const int CountSlack = 4;

    public const double HeapSlackMib = 0.5;

    public const double SettledJitGrowth = 0.01;

    public static readonly TimeSpan MaxWarmUp = TimeSpan.FromMinutes(2);

    private const int FinalSamples = 3;

    /// <summary>True when the JIT compiled few enough methods since <paramref name="previous"/>; also without a probe to ask.</summary>
    public static bool JitSettled(SoakSample sample, SoakSample previous) =>
        sample.JitMethods is not { } now || previous.JitMethods is not { } before || now - before < now * SettledJitGrowth;

    /// <summary>
    /// The index of the baseline sample for a run of <paramref name="duration"/> after a warm-up of
    /// <paramref name="warmUp"/>; -1 when none is far enough from the end.
    /// </summary>
    public static int BaselineIndex(IReadOnlyList<SoakSample> samples, TimeSpan warmUp, TimeSpan duration)
    {
        var at = warmUp.TotalSeconds + (duration >= TimeSpan.FromMinutes(3) ? 60 : duration.TotalSeconds / 3);
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

    /// <param name="churningClients">Clients opening a fresh connection per request, whose connections come and go.</param>
    public static IReadOnlyList<SoakCheck> Evaluate(IReadOnlyList<SoakSample> samples, int baselineIndex, int churningClients)
    {
        (string Name, Func<SoakSample, double?> Value, double Slack)[] metrics =
        [
            ("RSS MiB", s => s.RssMib, 0),
            ("GC heap MiB", s => s.GcHeapMib, HeapSlackMib),
            ("threads", s => s.Threads, CountSlack),
            ("open fds", s => s.Fds, CountSlack),
            ("TCP connections", s => s.TcpTotal, CountSlack + (2 * churningClients)),
        ];
        var checks = new List<SoakCheck>();
        var baseline = samples[baselineIndex];
        var last = samples.Skip(samples.Count - FinalSamples).ToArray();
        foreach (var (name, value, slack) in metrics)
        {
            var values = last.Select(value).OfType<double>().ToArray();
            if (value(baseline) is not { } start || values.Length == 0)
            {
                continue;
            }

            var final = Median(values);
            var allowed = Math.Round(Math.Max(start * AllowedGrowth, slack), 2);
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
