using LlmGate.Alerting;
using LlmGate.Alerting.Conditions;
using LlmGate.Calls;
using LlmGate.Configuration;

namespace LlmGate.Tests.Alerting.Conditions;

public sealed class ExceptionConditionTests
{
    private static readonly AlertingOptions Options = new() { FailureWindow = TimeSpan.FromSeconds(60) };

    [Theory]
    [InlineData(400, nameof(FailureKind.UpstreamError))]
    [InlineData(413, nameof(FailureKind.UpstreamError))]
    [InlineData(422, nameof(FailureKind.UpstreamError))]
    [InlineData(409, nameof(FailureKind.UpstreamError))]
    [InlineData(400, nameof(FailureKind.InvalidRequest))]
    [InlineData(429, nameof(FailureKind.Refused))]
    [InlineData(401, nameof(FailureKind.Refused))]
    public void Evaluate_ClientsOwnError_NeverFires(int status, string kind)
    {
        using var harness = new ConditionHarness(Options);

        for (var i = 0; i < 20; i++)
        {
            harness.Fail("gpt-4o", "d1", status, Enum.Parse<FailureKind>(kind));
        }

        harness.RunFor(TimeSpan.FromSeconds(5));

        Assert.Empty(harness.Channel.Rendered);
    }

    [Theory]
    [InlineData(401, nameof(FailureKind.UpstreamError))]
    [InlineData(403, nameof(FailureKind.UpstreamError))]
    [InlineData(404, nameof(FailureKind.UpstreamError))]
    [InlineData(408, nameof(FailureKind.UpstreamError))]
    [InlineData(429, nameof(FailureKind.UpstreamError))]
    [InlineData(500, nameof(FailureKind.UpstreamError))]
    [InlineData(503, nameof(FailureKind.UpstreamError))]
    [InlineData(504, nameof(FailureKind.Timeout))]
    [InlineData(502, nameof(FailureKind.ConnectionFailure))]
    [InlineData(500, nameof(FailureKind.Gateway))]
    public void Evaluate_OneRealApiError_OneTrigger(int status, string kind)
    {
        using var harness = new ConditionHarness(Options, types: [AlertTypeNames.LlmExceptions]);

        harness.Fail("gpt-4o", "d1", status, Enum.Parse<FailureKind>(kind));
        harness.Step();

        var trigger = Assert.Single(harness.Channel.Rendered);
        Assert.Equal(AlertTypeNames.LlmExceptions, trigger.Type);
        Assert.Equal("LLM API call failed", trigger.Title);
        Assert.StartsWith($"LLM API call failed: `{status} api_error: upstream failed`", trigger.Notice!.Summary, StringComparison.Ordinal);
        Assert.Equal(DedupKeys.ForCondition(AlertTypeNames.LlmExceptions, "gpt-4o"), trigger.DedupKey);
        Assert.Equal("gpt-4o", AlertLabels.Get(trigger.Labels, AlertLabels.ModelGroup));
        Assert.Equal("llm_exceptions", AlertLabels.Get(trigger.Labels, AlertLabels.Class));
    }

    [Fact]
    public void Evaluate_RepeatsWhileOpen_FoldedIntoOneTriggerAndOneResolveAfterTheQuietPeriod()
    {
        using var harness = new ConditionHarness(Options, types: [AlertTypeNames.LlmExceptions]);

        harness.Fail("gpt-4o", "d1", 503);
        harness.Step();
        for (var i = 0; i < 10; i++)
        {
            harness.Fail("gpt-4o", i % 2 == 0 ? "d1" : "d2", 500);
            harness.Step();
        }

        var lastFailure = harness.Time.GetUtcNow() - ConditionMonitor.EvaluationInterval;
        harness.Step(lastFailure + Options.FailureWindow - harness.Time.GetUtcNow() - TimeSpan.FromSeconds(1));
        Assert.Single(harness.Channel.Rendered); // one second before the quiet period is over: still open

        harness.Step();
        var trigger = Assert.Single(harness.Channel.Triggers);
        var resolve = Assert.Single(harness.Channel.Resolves);
        Assert.Equal(trigger.DedupKey, resolve.DedupKey);
        Assert.Contains(resolve.Notice!.Facts, f => f is { Name: "Failures in all", Value: "11" });
        Assert.Contains(resolve.Notice.Facts, f => f is { Name: "Failures since the last message", Value: "10" });
        Assert.Equal(trigger.At, resolve.OpenedAt);
        Assert.Empty(harness.Set.Exceptions!.Tracker.Open);
    }

    [Fact]
    public void Restart_WithAConditionOpen_ResolvedOnceQuietAfterTheStartToWhereItsTriggerWent()
    {
        using var harness = new ConditionHarness(Options, types: [AlertTypeNames.LlmExceptions]);
        harness.Fail("gpt-4o", "d1", 503);
        harness.Step();
        var trigger = Assert.Single(harness.Channel.Triggers);

        harness.Restart();
        harness.Step(Options.FailureWindow - TimeSpan.FromSeconds(1));
        Assert.Empty(harness.Channel.Resolves); // quiet for less than the window since the start: still open
        harness.Step(TimeSpan.FromSeconds(1));

        var resolve = Assert.Single(harness.Channel.Resolves);
        Assert.Equal(trigger.DedupKey, resolve.DedupKey);
        Assert.Equal(trigger.Title, resolve.Title);
        Assert.Equal(trigger.At, resolve.OpenedAt);
        Assert.Equal("gpt-4o: not seen since the gateway restarted.", resolve.Notice!.Summary);
        Assert.Empty(harness.Set.Exceptions!.Tracker.Open);

        harness.Restart();
        harness.RunFor(Options.FailureWindow * 2);
        Assert.Single(harness.Channel.Resolves); // resolved once: nothing left open to resolve again
    }

    [Fact]
    public void Restart_ConditionRecursAfterTheStart_FoldedIntoTheOpenOneNotTriggeredAgain()
    {
        using var harness = new ConditionHarness(Options, types: [AlertTypeNames.LlmExceptions]);
        harness.Fail("gpt-4o", "d1", 503);
        harness.Step();

        harness.Restart();
        harness.Fail("gpt-4o", "d2", 500);
        harness.Step();
        harness.RunFor(Options.FailureWindow + TimeSpan.FromSeconds(2));

        Assert.Single(harness.Channel.Triggers);
        var resolve = Assert.Single(harness.Channel.Resolves);
        Assert.Contains(resolve.Notice!.Facts, f => f is { Name: "Failures in all", Value: "1" }); // what this start saw
    }

    [Fact]
    public void Evaluate_TwoModelGroups_OneConditionEach()
    {
        using var harness = new ConditionHarness(Options, types: [AlertTypeNames.LlmExceptions]);

        harness.Fail("gpt-4o", "d1", 503);
        harness.Fail("claude", "d3", 503);
        harness.Fail("not-configured", "dx", 503);
        harness.Step();

        Assert.Equal(
            ["(other)", "claude", "gpt-4o"],
            harness.Channel.Triggers.Select(t => AlertLabels.Get(t.Labels, AlertLabels.ModelGroup)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Describe_ErrorHoldsSecrets_ScrubbedInSummaryAndRecentErrors()
    {
        using var harness = new ConditionHarness(Options, types: [AlertTypeNames.LlmExceptions]);

        harness.Fail("gpt-4o", "d1", 401, message: $"Incorrect API key provided: {ConditionHarness.ApiKey}, Authorization: Bearer abc.def");
        harness.Step();

        var notice = Assert.Single(harness.Channel.Triggers).Notice!;
        var text = notice.Summary + string.Join("|", notice.RecentErrors.Select(e => e.Message)) + string.Join("|", notice.Facts.Select(f => f.Value));
        Assert.DoesNotContain(ConditionHarness.ApiKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain("abc.def", text, StringComparison.Ordinal);
        Assert.Contains("[redacted]", text, StringComparison.Ordinal);
        Assert.Contains(notice.Facts, f => f is { Name: "Statuses", Value: "401 (1)" });
        Assert.Contains(notice.Facts, f => f is { Name: "Deployments", Value: "d1 (1)" });
    }
}
