namespace LlmGate.Bench.Tests;

/// <summary>
/// <c>--gateway-env NAME=VALUE</c> reaches the gateway target's process and the report, and a malformed pair is refused
/// before anything starts.
/// </summary>
public sealed class GatewayEnvironmentTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task GatewayEnv_SmallGen0Budget_ReachesTheGatewayAndTheReport()
    {
        // A 256 KiB gen0 budget: a collection every few dozen calls, against about one per 2,000 with the project's
        // 10 MiB, so the gateway's own GC count shows whether the variable reached it.
        var (document, log) = await BenchHarness.RunForReportAsync(
            [
                "--quick", "--targets", "llmgate", "--scenarios", "chat", "--concurrency", "8",
                "--gateway", BenchHarness.GatewayProgram, "--gateway-env", "DOTNET_GCGen0MaxBudget=0x40000",
            ],
            RunLimit);
        using var report = document;
        Assert.Contains("DOTNET_GCGen0MaxBudget=0x40000 (--gateway-env)", log, StringComparison.Ordinal);

        var environment = report.RootElement.GetProperty("settings").GetProperty("gateway_environment");
        Assert.Equal("0x40000", environment.GetProperty("DOTNET_GCGen0MaxBudget").GetString());
        var point = Assert.Single(report.RootElement.GetProperty("points").EnumerateArray());
        var collections = point.GetProperty("gen0_per1k_requests").GetDouble();
        Assert.True(collections > 5, $"{collections} gen0 collections per 1,000 calls: the budget did not reach the gateway");
    }

    [Fact]
    public async Task GatewayEnv_WithoutEquals_RefusedBeforeAnyTargetStarts()
    {
        var (exitCode, log) = await BenchHarness.RunAsync(["--targets", "llmgate", "--gateway-env", "DOTNET_ReadyToRun"], TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--gateway-env DOTNET_ReadyToRun: expected NAME=VALUE", log, StringComparison.Ordinal);
        Assert.DoesNotContain("req/s", log, StringComparison.Ordinal);
    }
}
