using LlmGate.Alerting;
using LlmGate.Configuration;

namespace LlmGate.Tests.Alerting.Conditions;

public sealed class ConditionDigestTests
{
    private static readonly AlertingOptions Options = new()
    {
        TypeSettings = new Dictionary<string, AlertTypeSettings>(StringComparer.Ordinal)
        {
            [AlertTypeNames.LlmExceptions] = new(Digest: true, DigestInterval: TimeSpan.FromSeconds(60)),
        },
    };

    [Fact]
    public void Evaluate_DigestOn_OneNonResolvableSummaryPerIntervalAndNothingForAQuietOne()
    {
        using var harness = new ConditionHarness(Options, types: [AlertTypeNames.LlmExceptions]);

        harness.Fail("gpt-4o", "d1", 503);
        harness.Step();
        harness.Fail("gpt-4o", "d2", 500);
        harness.Fail("claude", "d3", 429);
        harness.RunFor(TimeSpan.FromSeconds(58));
        Assert.Empty(harness.Channel.Rendered); // no per-problem trigger

        harness.Step(); // 60 s after start-up
        var digest = Assert.Single(harness.Channel.Rendered);
        Assert.False(digest.Resolvable);
        Assert.Equal(AlertTypeNames.LlmExceptions, digest.Type);
        Assert.StartsWith("llm_exceptions digest: 3 failures on 2 of them", digest.Notice!.Summary, StringComparison.Ordinal);
        Assert.Equal("gpt-4o", digest.Notice.Facts[0].Name);
        Assert.Equal("2 failures, first 2026-03-01 12:00:00Z, last 2026-03-01 12:00:01Z", digest.Notice.Facts[0].Value);
        Assert.Equal("claude", digest.Notice.Facts[1].Name);

        harness.RunFor(TimeSpan.FromSeconds(60));
        Assert.Single(harness.Channel.Rendered); // a quiet interval: nothing

        harness.Fail("gpt-4o", "d1", 503);
        harness.RunFor(TimeSpan.FromSeconds(60));
        Assert.Equal(2, harness.Channel.Rendered.Count);
        Assert.NotEqual(digest.DedupKey, harness.Channel.Rendered[1].DedupKey); // a fresh key per interval
        Assert.Empty(harness.Channel.Resolves);
    }
}
