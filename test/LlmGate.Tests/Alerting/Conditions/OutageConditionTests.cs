using LlmGate.Alerting;
using LlmGate.Alerting.Conditions;
using LlmGate.Calls;
using LlmGate.Configuration;

namespace LlmGate.Tests.Alerting.Conditions;

public sealed class OutageConditionTests
{
    private static readonly AlertingOptions Options = new()
    {
        OutageWindow = TimeSpan.FromSeconds(60),
        RegionOutageWindow = TimeSpan.FromSeconds(60),
        MinorOutageThreshold = 3,
        MajorOutageThreshold = 5,
    };

    [Fact]
    public void Evaluate_OneBelowMinor_Nothing()
    {
        using var harness = new ConditionHarness(Options, types: [AlertTypeNames.OutageAlerts]);

        Attempts(harness, "d1", 2, 503);
        harness.RunFor(TimeSpan.FromSeconds(5));

        Assert.Empty(harness.Channel.Rendered);
    }

    [Fact]
    public void Evaluate_MinorThenMajorThenQuiet_TwoTriggersWithOneKeyAndOneResolve()
    {
        using var harness = new ConditionHarness(Options, types: [AlertTypeNames.OutageAlerts]);

        Attempts(harness, "d1", 3, 503);
        harness.Step();
        var minor = Assert.Single(harness.Channel.Rendered);
        Assert.Equal("Minor service outage", minor.Title);
        Assert.StartsWith("⚠️ Minor Service Outage: deployment d1 (gpt-4o): 3 failures", minor.Notice!.Summary, StringComparison.Ordinal);
        Assert.Equal(AlertSeverity.Warning, minor.Notice.Severity);

        Attempts(harness, "d1", 1, 500);
        harness.Step();
        Assert.Single(harness.Channel.Rendered); // 4: folded into the open outage

        Attempts(harness, "d1", 1, 502);
        harness.Step();
        Assert.Equal(2, harness.Channel.Triggers.Count);
        var major = harness.Channel.Triggers[1];
        Assert.Equal("Major service outage", major.Title);
        Assert.StartsWith("🚨 Major Service Outage: deployment d1 (gpt-4o): 5 failures", major.Notice!.Summary, StringComparison.Ordinal);
        Assert.Equal(AlertSeverity.Error, major.Notice.Severity);
        Assert.Equal(minor.DedupKey, major.DedupKey);
        Assert.Equal(DedupKeys.ForCondition(AlertTypeNames.OutageAlerts, "d1"), major.DedupKey);

        Attempts(harness, "d1", 10, 503);
        harness.Step();
        Assert.Equal(2, harness.Channel.Triggers.Count); // each level once per outage

        harness.RunFor(Options.OutageWindow - TimeSpan.FromSeconds(2));
        Assert.Empty(harness.Channel.Resolves);
        harness.Step();
        var resolve = Assert.Single(harness.Channel.Resolves);
        Assert.Equal(minor.DedupKey, resolve.DedupKey);
        Assert.Contains(resolve.Notice!.Facts, f => f is { Name: "Failures since the last message", Value: "10" });
        Assert.Equal(2, harness.Channel.Triggers.Count);
    }

    [Theory]
    [InlineData(408, nameof(FailureKind.UpstreamError), true)]
    [InlineData(500, nameof(FailureKind.UpstreamError), true)]
    [InlineData(504, nameof(FailureKind.Timeout), true)]
    [InlineData(502, nameof(FailureKind.ConnectionFailure), true)]
    [InlineData(429, nameof(FailureKind.UpstreamError), false)]
    [InlineData(401, nameof(FailureKind.UpstreamError), false)]
    [InlineData(400, nameof(FailureKind.UpstreamError), false)]
    [InlineData(500, nameof(FailureKind.Refused), false)]
    public void Evaluate_FailureKinds_OnlyOutageFailuresCount(int status, string kind, bool fires)
    {
        using var harness = new ConditionHarness(Options, types: [AlertTypeNames.OutageAlerts]);

        Attempts(harness, "d1", 3, status, Enum.Parse<FailureKind>(kind));
        harness.Step();

        Assert.Equal(fires ? 1 : 0, harness.Channel.Rendered.Count);
    }

    [Fact]
    public void Evaluate_RetriedAttempts_EachCounts()
    {
        using var harness = new ConditionHarness(Options, types: [AlertTypeNames.OutageAlerts]);

        var call = harness.Start("gpt-4o", "d1");
        call.EndAttempt(503, FailureKind.UpstreamError);
        call.StartAttempt("gpt-4o", "d1", "bedrock");
        call.EndAttempt(503, FailureKind.UpstreamError);
        call.StartAttempt("gpt-4o", "d1", "bedrock");
        call.Failed(new CallFailure(503, "api_error", "unavailable", FailureKind.UpstreamError));
        harness.Step();

        Assert.Single(harness.Channel.Triggers);
    }

    [Fact]
    public void Evaluate_FailuresSpreadBeyondTheWindow_Nothing()
    {
        using var harness = new ConditionHarness(Options, types: [AlertTypeNames.OutageAlerts]);

        for (var i = 0; i < 6; i++)
        {
            Attempts(harness, "d1", 1, 503);
            harness.RunFor(TimeSpan.FromSeconds(30)); // at most 2 in any 60 s window
        }

        Assert.Empty(harness.Channel.Rendered);
    }

    [Fact]
    public void Evaluate_MinorWithinTheWindowButNeverAtATick_StillTriggers()
    {
        using var harness = new ConditionHarness(Options, types: [AlertTypeNames.OutageAlerts]);
        harness.Time.Advance(TimeSpan.FromSeconds(0.5));
        Attempts(harness, "d1", 2, 503);
        harness.Step(TimeSpan.FromSeconds(0.5));
        harness.Step(TimeSpan.FromSeconds(59.3));

        Attempts(harness, "d1", 1, 503); // three within 60 s; at the next tick the first two have left
        harness.Step(TimeSpan.FromSeconds(0.7));

        var trigger = Assert.Single(harness.Channel.Triggers);
        Assert.Contains(trigger.Notice!.Facts, f => f is { Name: "Failures in window", Value: "3 in the last 60 s (threshold 3)" });
    }

    [Fact]
    public void Evaluate_RegionWithOneDeploymentFailing_NothingUntilASecondFails()
    {
        using var harness = new ConditionHarness(Options, types: [AlertTypeNames.RegionOutageAlerts]);

        Attempts(harness, "d1", 3, 503);
        Attempts(harness, "d3", 4, 503); // no region: never counted per region
        harness.Step();
        Assert.Empty(harness.Channel.Rendered);

        Attempts(harness, "d2", 1, 503);
        harness.Step();

        var trigger = Assert.Single(harness.Channel.Rendered);
        Assert.Equal(AlertTypeNames.RegionOutageAlerts, trigger.Type);
        Assert.Equal("llmgate_region_outage", trigger.ClassName);
        Assert.StartsWith("⚠️ Minor Service Outage: region us-east-1 (bedrock), 2 deployments failing: 4 failures", trigger.Notice!.Summary, StringComparison.Ordinal);
        Assert.Equal("us-east-1", AlertLabels.Get(trigger.Labels, AlertLabels.Region));
        Assert.Equal("bedrock", AlertLabels.Get(trigger.Labels, AlertLabels.Provider));
    }

    private static void Attempts(ConditionHarness harness, string deployment, int count, int status, FailureKind kind = FailureKind.UpstreamError)
    {
        var group = deployment == "d3" ? "claude" : "gpt-4o";
        for (var i = 0; i < count; i++)
        {
            harness.Fail(group, deployment, status, kind);
        }
    }
}
