using LlmGate.Alerting;
using LlmGate.Calls;
using LlmGate.Configuration;

namespace LlmGate.Tests.Alerting.Conditions;

public sealed class ReportTests
{
    private static readonly AlertingOptions Options = new() { DailyReportFrequency = TimeSpan.FromSeconds(3600) };

    private static readonly IReadOnlyList<DeploymentConfig> SixDeployments =
        [.. Enumerable.Range(1, 6).Select(i => ConditionHarness.Deployment($"d{i}", "gpt-4o", "openai/gpt-4o", null))];

    [Fact]
    public void DailyReport_NoTraffic_NothingSent()
    {
        using var harness = new ConditionHarness(Options, SixDeployments, [AlertTypeNames.DailyReports]);

        harness.Step(Options.DailyReportFrequency);
        harness.Step(Options.DailyReportFrequency);

        Assert.Empty(harness.Channel.Rendered);
    }

    [Fact]
    public void DailyReport_SixDeployments_TopFiveByFailuresAndByLatencyPerOutputToken()
    {
        using var harness = new ConditionHarness(Options, SixDeployments, [AlertTypeNames.DailyReports]);
        for (var i = 1; i <= 6; i++)
        {
            for (var f = 0; f < i; f++)
            {
                harness.Fail("gpt-4o", $"d{i}", 503); // d6 fails most
            }

            var call = harness.Start("gpt-4o", $"d{i}", "openai");
            harness.Time.Advance(TimeSpan.FromSeconds(7 - i)); // d1 slowest: 6 s
            call.Usage = new TokenUsage(10, 100);
            call.EndAttempt(200, null);
            call.Completed();
        }

        harness.Step(Options.DailyReportFrequency - TimeSpan.FromSeconds(22));
        Assert.Empty(harness.Channel.Rendered);
        harness.Step();

        var report = Assert.Single(harness.Channel.Rendered);
        Assert.False(report.Resolvable);
        Assert.Equal("Daily report", report.Title);
        Assert.StartsWith("Daily report: 27 requests to 6 deployment(s), 21 failed", report.Notice!.Summary, StringComparison.Ordinal);
        var facts = report.Notice.Facts;
        Assert.Equal(
            ["d6 (gpt-4o) at d6.example.com: 6 of 7", "d5 (gpt-4o) at d5.example.com: 5 of 6", "d4 (gpt-4o) at d4.example.com: 4 of 5", "d3 (gpt-4o) at d3.example.com: 3 of 4", "d2 (gpt-4o) at d2.example.com: 2 of 3"],
            facts.Where(f => f.Name.StartsWith("Most failed requests #", StringComparison.Ordinal)).Select(f => f.Value));
        Assert.Equal(
            ["d1 (gpt-4o) at d1.example.com: 0.06 s per output token", "d2 (gpt-4o) at d2.example.com: 0.05 s per output token", "d3 (gpt-4o) at d3.example.com: 0.04 s per output token", "d4 (gpt-4o) at d4.example.com: 0.03 s per output token", "d5 (gpt-4o) at d5.example.com: 0.02 s per output token"],
            facts.Where(f => f.Name.StartsWith("Slowest #", StringComparison.Ordinal)).Select(f => f.Value));

        harness.Step(Options.DailyReportFrequency);
        Assert.Single(harness.Channel.Rendered); // the next period had no traffic
    }

    [Fact]
    public void DailyReport_NoTokensKnown_RankedByAverageLatency()
    {
        using var harness = new ConditionHarness(Options, SixDeployments, [AlertTypeNames.DailyReports]);
        foreach (var (deployment, seconds) in new[] { ("d1", 1), ("d2", 3) })
        {
            var call = harness.Start("gpt-4o", deployment, "openai");
            harness.Time.Advance(TimeSpan.FromSeconds(seconds));
            call.EndAttempt(200, null);
            call.Completed();
        }

        harness.Step(Options.DailyReportFrequency);

        var facts = Assert.Single(harness.Channel.Rendered).Notice!.Facts;
        Assert.Equal(
            ["d2 (gpt-4o) at d2.example.com: 3 s on average", "d1 (gpt-4o) at d1.example.com: 1 s on average"],
            facts.Where(f => f.Name.StartsWith("Slowest #", StringComparison.Ordinal)).Select(f => f.Value));
        Assert.Contains(facts, f => f is { Name: "Most failed requests", Value: "no deployment failed" });
    }

    [Fact]
    public void FallbackReport_CallsFellBack_FromToCountedOncePerCall()
    {
        using var harness = new ConditionHarness(Options, types: [AlertTypeNames.FallbackReports]);
        for (var i = 0; i < 3; i++)
        {
            var call = harness.Start("gpt-4o", "d1");
            call.EndAttempt(503, FailureKind.UpstreamError);
            call.StartAttempt("claude", "d3", "anthropic");
            call.EndAttempt(503, FailureKind.UpstreamError);
            call.StartAttempt("claude", "d3", "anthropic");
            call.EndAttempt(200, null);
            call.Completed();
        }

        var retried = harness.Start("gpt-4o", "d1"); // a retry in the same group is no fallback
        retried.EndAttempt(503, FailureKind.UpstreamError);
        retried.StartAttempt("gpt-4o", "d2", "bedrock");
        retried.Completed();
        harness.Step(Options.DailyReportFrequency);

        var report = Assert.Single(harness.Channel.Rendered);
        Assert.False(report.Resolvable);
        Assert.Equal(AlertTypeNames.FallbackReports, report.Type);
        Assert.StartsWith("Fallback report: 3 fallback(s)", report.Notice!.Summary, StringComparison.Ordinal);
        var fact = Assert.Single(report.Notice.Facts);
        Assert.Equal(("gpt-4o → claude", "3 call(s)"), (fact.Name, fact.Value));
    }

    [Fact]
    public void FallbackReport_NoFallbacks_NothingSent()
    {
        using var harness = new ConditionHarness(Options, types: [AlertTypeNames.FallbackReports]);
        harness.Start("gpt-4o", "d1").Completed();

        harness.Step(Options.DailyReportFrequency);

        Assert.Empty(harness.Channel.Rendered);
    }
}
