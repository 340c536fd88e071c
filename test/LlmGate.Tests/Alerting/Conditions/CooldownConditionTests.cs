using LlmGate.Alerting;
using LlmGate.Configuration;

namespace LlmGate.Tests.Alerting.Conditions;

public sealed class CooldownConditionTests
{
    [Fact]
    public void Evaluate_CooldownExtendedWhileOpen_OneTriggerAndOneResolveWhenTheLastEnds()
    {
        using var harness = new ConditionHarness(new AlertingOptions(), types: [AlertTypeNames.CooldownDeployment]);
        var cooldowns = harness.Set.Cooldown!;
        var start = harness.Time.GetUtcNow();

        cooldowns.OnCooldownStarted("d1", "gpt-4o", 429, start + TimeSpan.FromSeconds(5));
        harness.Step();
        var trigger = Assert.Single(harness.Channel.Rendered);
        Assert.Equal("Deployment in cooldown", trigger.Title);
        Assert.Equal("Deployment in cooldown: d1 (gpt-4o) after status 429, until 2026-03-01 12:00:05Z", trigger.Notice!.Summary);

        cooldowns.OnCooldownStarted("d1", "gpt-4o", 503, start + TimeSpan.FromSeconds(8));
        harness.RunFor(TimeSpan.FromSeconds(6)); // 12:00:07: the first cooldown is over, the second is not
        Assert.Single(harness.Channel.Rendered);

        harness.Step();
        var resolve = Assert.Single(harness.Channel.Resolves);
        Assert.Equal(trigger.DedupKey, resolve.DedupKey);
        Assert.Contains(resolve.Notice!.Facts, f => f is { Name: "Cooldowns in all", Value: "2" });
        Assert.Equal("d1", AlertLabels.Get(trigger.Labels, AlertLabels.Deployment));
        Assert.Equal("llmgate_cooldown", trigger.ClassName);
        Assert.Single(harness.Channel.Triggers);
    }
}
