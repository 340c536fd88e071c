using LlmGate.Alerting;
using LlmGate.Alerting.Conditions;
using LlmGate.Configuration;

namespace LlmGate.Tests.Alerting.Conditions;

public sealed class SlowResponseConditionTests
{
    private static readonly AlertingOptions Options = new() { AlertingThreshold = TimeSpan.FromSeconds(10) };

    [Fact]
    public void Evaluate_ExactlyTheThreshold_DoesNotFire()
    {
        using var harness = new ConditionHarness(Options);

        var call = harness.Start("gpt-4o", "d1");
        harness.Time.Advance(Options.AlertingThreshold);
        call.Completed();
        harness.RunFor(TimeSpan.FromSeconds(3));

        Assert.Empty(harness.Channel.Rendered);
    }

    [Fact]
    public void Evaluate_FailedAfterTheThreshold_DoesNotFire()
    {
        using var harness = new ConditionHarness(Options);

        var call = harness.Start("gpt-4o", "d1");
        harness.Time.Advance(TimeSpan.FromSeconds(30));
        call.Failed(new LlmGate.Calls.CallFailure(504, "timeout", "timed out", LlmGate.Calls.FailureKind.Timeout));
        harness.RunFor(TimeSpan.FromSeconds(3));

        Assert.DoesNotContain(harness.Channel.Rendered, n => n.Type == AlertTypeNames.LlmTooSlow);
    }

    [Fact]
    public void Evaluate_SlowerThanTheThreshold_OneTriggerThenOneResolveAfterAQuietThreshold()
    {
        using var harness = new ConditionHarness(Options);

        var call = harness.Start("gpt-4o", "d1");
        harness.Time.Advance(Options.AlertingThreshold + TimeSpan.FromMilliseconds(1));
        call.Completed();
        var second = harness.Start("gpt-4o", "d1");
        harness.Time.Advance(TimeSpan.FromSeconds(12.5));
        second.Completed();
        harness.Step();

        var trigger = Assert.Single(harness.Channel.Rendered);
        Assert.Equal("Responses are slow", trigger.Title);
        Assert.StartsWith("Responses are slow - 12.5s response time > Alerting threshold: 10s", trigger.Notice!.Summary, StringComparison.Ordinal);
        Assert.Contains(trigger.Notice.Facts, f => f is { Name: "API base", Value: "d1.example.com" });
        Assert.Contains(trigger.Notice.Facts, f => f is { Name: "Slow responses", Value: "2 over 10 s" });
        Assert.Equal("d1", AlertLabels.Get(trigger.Labels, AlertLabels.Deployment));
        Assert.Equal("info", AlertLabels.Get(trigger.Labels, AlertLabels.Severity));

        harness.RunFor(TimeSpan.FromSeconds(8)); // 9 s after the slow answer: not yet quiet for the threshold
        Assert.Empty(harness.Channel.Resolves);
        harness.Step();
        Assert.Single(harness.Channel.Resolves);
        Assert.Single(harness.Channel.Triggers);
    }

    [Fact]
    public void Evaluate_QuietPeriodShorterThanATick_TriggerStillSentThenResolvedOnTheNextTick()
    {
        var options = new AlertingOptions { AlertingThreshold = TimeSpan.FromSeconds(0.3) };
        using var harness = new ConditionHarness(options, types: [AlertTypeNames.LlmTooSlow]);

        var call = harness.Start("gpt-4o", "d1");
        harness.Time.Advance(TimeSpan.FromSeconds(0.6));
        call.Completed();
        harness.Step(); // 1 s later: quiet for longer than the threshold already

        Assert.Single(harness.Channel.Triggers);
        Assert.Empty(harness.Channel.Resolves);
        harness.Step();
        Assert.Single(harness.Channel.Resolves);
    }

    [Fact]
    public void Describe_ApiBaseWithQuery_OnlyTheHostShown()
    {
        using var harness = new ConditionHarness(Options);

        var call = harness.Start("claude", "d3");
        harness.Time.Advance(TimeSpan.FromSeconds(11));
        call.Completed();
        harness.Step();

        var facts = string.Join("|", Assert.Single(harness.Channel.Triggers).Notice!.Facts.Select(f => f.Value));
        Assert.DoesNotContain("secret-in-query", facts, StringComparison.Ordinal);
        Assert.DoesNotContain("/v1", facts, StringComparison.Ordinal);
        Assert.Contains("d3.example.com", facts, StringComparison.Ordinal);
    }
}
