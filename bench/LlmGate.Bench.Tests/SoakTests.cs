namespace LlmGate.Bench.Tests;

/// <summary>
/// The soak's CI form (<c>bench/run.sh soak --seconds 60</c>): the gateway under the mixed load with provoked faults
/// passes, and the report holds what the README describes: a warm-up until the JIT settled, samples every 10 s, a baseline, a check per metric, every
/// kind of request done, the provoked faults seen as provoked, PagerDuty paged. Growth figures are the soak's own verdict.
/// </summary>
public sealed class SoakTests
{
    // The gateway's start, the warm-up (2 minutes at most), 60 s of load and the drain.
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(240);

    [Fact]
    public async Task Soak_SixtySeconds_PassesWithEveryKindAndMetric()
    {
        var (document, log) = await BenchHarness.RunForReportAsync(["soak", "--seconds", "60", "--gateway", BenchHarness.GatewayProgram], RunLimit);
        using var report = document;
        Assert.Contains("SOAK PASSED", log, StringComparison.Ordinal);

        var root = report.RootElement;
        Assert.True(root.GetProperty("passed").GetBoolean());
        var samples = root.GetProperty("samples").EnumerateArray().ToArray();
        var warmUp = root.GetProperty("warm_up_seconds").GetDouble();
        var warmedAt = Array.FindIndex(samples, s => Math.Abs(s.GetProperty("seconds").GetDouble() - warmUp) < 0.5);
        Assert.True(warmedAt >= 1, $"the warm-up ended at {warmUp} s, on no sample after the first");
        long Jit(int index) => samples[index].GetProperty("jit_methods").GetInt64();
        Assert.True(Jit(warmedAt) - Jit(warmedAt - 1) < Jit(warmedAt) * 0.01, $"warmed up while the JIT compiled {Jit(warmedAt - 1)} → {Jit(warmedAt)} methods");
        Assert.Equal(warmedAt + 7, samples.Length); // the warm-up's, then 0, 10, ..., 60 s after it
        Assert.Equal(warmUp + 20, root.GetProperty("baseline_seconds").GetDouble(), 0.5); // a third of the run
        var metrics = root.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("metric").GetString()!).ToArray();
        Assert.Equal(["RSS MiB", "GC heap MiB", "threads", "open fds", "TCP connections"], metrics);
        foreach (var sample in samples)
        {
            Assert.True(sample.GetProperty("rss_mib").GetDouble() > 0, "no RSS");
            Assert.True(sample.GetProperty("gc_heap_mib").GetDouble() > 0, "no GC heap: the probe did not load");
            Assert.True(sample.GetProperty("threads").GetInt32() > 0, "no threads");
        }

        var requests = root.GetProperty("requests").EnumerateArray().ToDictionary(k => k.GetProperty("kind").GetString()!);
        foreach (var healthy in new[] { "chat", "stream", "embedding" })
        {
            Assert.True(requests[healthy].GetProperty("ok").GetInt64() > 0, healthy + ": none answered");
        }

        Assert.True(requests["upstream-error"].GetProperty("expected").EnumerateObject().Any(), "no upstream error was passed on");
        Assert.True(requests["timeout"].GetProperty("expected").TryGetProperty("HTTP 408 (timeout)", out _), "no timeout");
        Assert.True(requests["disconnect"].GetProperty("expected_total").GetInt64() > 0, "no client went away mid-stream");
        Assert.All(requests.Values, k => Assert.Equal(0, k.GetProperty("unexpected_total").GetInt64()));
        Assert.True(root.GetProperty("pager_duty_events").GetInt32() > 0, "the provoked faults paged nobody");
    }
}
