namespace LlmGate.Bench.Tests;

/// <summary>
/// The CI smoke run of the load harness (<c>bench/run.sh --quick</c>): every target starts, every point completes
/// requests without an error, and the report has the fields the README describes. Timing is never asserted.
/// </summary>
public sealed class QuickRunTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task QuickRun_AllTargets_CompleteEveryPointWithoutErrors()
    {
        using var report = (await BenchHarness.RunForReportAsync(["--quick", "--gateway", BenchHarness.GatewayProgram], RunLimit)).Report;
        var points = report.RootElement.GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal(6 * 2 * 2, points.Length); // direct, yarp, llmgate, llmgate-pd, llmgate-keys, llmgate-group × chat, stream × c=1, 64
        foreach (var point in points)
        {
            var name = $"{point.GetProperty("target").GetString()} {point.GetProperty("scenario").GetString()} c={point.GetProperty("concurrency").GetInt32()}";
            Assert.True(point.GetProperty("requests").GetInt64() > 0, name + ": no request completed");
            Assert.True(point.GetProperty("errors").GetInt64() == 0, name + ": errors " + point.GetProperty("error_kinds"));
            Assert.True(point.GetProperty("peak_rss_mib").GetDouble() > 0, name + ": no peak RSS");
            Assert.True(point.GetProperty("latency_ms").GetProperty("p99").GetDouble() > 0, name + ": no latency");
            if (point.GetProperty("scenario").GetString() == "stream")
            {
                Assert.True(point.GetProperty("first_chunk_ms").GetProperty("p50").GetDouble() > 0, name + ": no time to first chunk");
            }

            // Every target here is .NET: the probe loads into each and reports allocations and threads.
            Assert.True(point.GetProperty("allocated_bytes_per_request").GetDouble() > 0, name + ": no allocations per request");
            Assert.True(point.GetProperty("threads_end").GetInt32() > 0, name + ": no thread count");

            if (point.GetProperty("target").GetString() != "direct")
            {
                Assert.True(point.TryGetProperty("added_p50_ms", out _), name + ": no comparison with the direct target");
            }
        }

        Assert.Equal(0, report.RootElement.GetProperty("pager_duty_events").GetInt32());
        foreach (var target in report.RootElement.GetProperty("target_results").EnumerateArray())
        {
            Assert.True(target.GetProperty("startup_ms").GetDouble() > 0, target.GetProperty("target").GetString() + ": no start-up time");
        }
    }

    [Fact]
    public async Task QuickRun_MinimalForwarder_RelaysChatAndStreamsBesideYarp()
    {
        using var report = (await BenchHarness.RunForReportAsync(
            ["--quick", "--targets", "yarp,minimal", "--scenarios", "chat,stream", "--concurrency", "1"], RunLimit)).Report;
        var minimal = report.RootElement.GetProperty("points").EnumerateArray()
            .Where(p => p.GetProperty("target").GetString() == "minimal").ToArray();
        Assert.Equal(["chat", "stream"], minimal.Select(p => p.GetProperty("scenario").GetString()).Order());
        foreach (var point in minimal)
        {
            // The load generator counts an answer other than 2xx, or a stream without its [DONE], as an error.
            Assert.True(point.GetProperty("requests").GetInt64() > 0, "no request completed");
            Assert.True(point.GetProperty("errors").GetInt64() == 0, "errors " + point.GetProperty("error_kinds"));
            Assert.True(point.GetProperty("throughput_vs_bare_proxy").GetDouble() > 0, "no comparison with YARP");
        }
    }
}
