namespace LlmGate.Bench.Tests;

/// <summary>
/// A small idle-streams run through LlmGate (50 streams, a chunk every second), with a short fresh-start measurement:
/// the new options reach the report, every stream opens and stays open, and the memory per stream is reported.
/// Memory is never asserted beyond being measured.
/// </summary>
public sealed class IdleStreamsTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task IdleStreams_SmallRunThroughGateway_HoldsEveryStreamAndReportsMemory()
    {
        using var report = (await BenchHarness.RunForReportAsync(
            ["--quick", "--targets", "llmgate", "--scenarios", "idle-streams", "--idle-streams", "50", "--idle-chunk-interval-s", "1",
             "--idle-hold-s", "2.5", "--first-seconds", "1", "--gateway", BenchHarness.GatewayProgram],
            RunLimit)).Report;
        var settings = report.RootElement.GetProperty("settings");
        Assert.Equal(50, settings.GetProperty("idle_streams").GetInt32());
        Assert.Equal(1, settings.GetProperty("idle_chunk_interval_seconds").GetDouble());
        Assert.Equal(2.5, settings.GetProperty("idle_hold_seconds").GetDouble());
        Assert.Equal(1, settings.GetProperty("first_seconds").GetDouble());
        Assert.Empty(report.RootElement.GetProperty("points").EnumerateArray());

        var idle = Assert.Single(report.RootElement.GetProperty("idle_streams").EnumerateArray());
        Assert.Equal(50, idle.GetProperty("opened").GetInt32());
        Assert.Equal(50, idle.GetProperty("alive_at_end").GetInt32());
        Assert.Equal(0, idle.GetProperty("errors").GetInt32());
        // Held longer than the chunk interval: the gateway relayed a chunk on every stream after its first.
        Assert.Equal(50, idle.GetProperty("chunked_during_hold").GetInt32());
        Assert.True(idle.GetProperty("held_rss_mib").GetDouble() > 0, "no RSS");
        Assert.True(idle.TryGetProperty("kb_per_stream", out _), "no KB per stream");
        Assert.True(idle.GetProperty("threads_after").GetInt32() > 0, "no thread count from the probe");

        var target = Assert.Single(report.RootElement.GetProperty("target_results").EnumerateArray());
        Assert.Equal(2, target.GetProperty("startup_samples_ms").GetArrayLength()); // the fresh start and the main one
        Assert.True(target.GetProperty("first_seconds_requests_per_second").GetDouble() > 0, "no first-seconds throughput");
        Assert.Equal(0, target.GetProperty("first_seconds_errors").GetInt64());
    }

    [Fact]
    public async Task CommandLine_UnknownScenario_FailsNamingIdleStreams()
    {
        var (exitCode, log) = await BenchHarness.RunAsync(["--scenarios", "idle", "--output", Path.Combine(Path.GetTempPath(), "unused.json")], RunLimit);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("known: chat, stream, idle-streams", log, StringComparison.Ordinal);
    }
}
