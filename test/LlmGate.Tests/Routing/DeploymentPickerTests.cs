using LlmGate.Configuration;
using LlmGate.Providers;
using LlmGate.Routing;

namespace LlmGate.Tests.Routing;

public sealed class DeploymentPickerTests
{
    private static readonly ProviderAdapters Adapters = ProviderAdapters.CreateDefault(TimeProvider.System);

    private static readonly DateTimeOffset Now = new(2026, 1, 5, 12, 0, 30, TimeSpan.Zero);

    private static ModelGroup Group(params DeploymentConfig[] deployments) =>
        new("g", [.. deployments.Select(d => new Deployment(new ProviderEndpoint(d, Adapters, _ => null)))]);

    private static DeploymentConfig D(string id, double weight = 1, int? rpm = null, int? tpm = null, string? apiBase = "http://127.0.0.1:9/v1") =>
        new() { ModelName = "g", Model = "openai/m", Id = id, ApiKey = "k", ApiBase = apiBase, Weight = weight, Rpm = rpm, Tpm = tpm };

    private static DeploymentPicker Picker(RoutingStrategyKind strategy, ICooldownStore? cooldowns = null, int seed = 1, bool disableCooldowns = false) =>
        new(new RouterOptions { RoutingStrategy = strategy, DisableCooldowns = disableCooldowns }, cooldowns ?? new InMemoryCooldownStore(RouterOptions.Default), new Random(seed));

    [Fact]
    public void Pick_SimpleShuffle_FollowsWeights()
    {
        var group = Group(D("a", weight: 1), D("b", weight: 3));
        var picker = Picker(RoutingStrategyKind.SimpleShuffle);

        var picksOfB = Enumerable.Range(0, 20_000).Count(_ => picker.Pick(group, 0, Now).Deployment!.Id == "b");

        Assert.InRange(picksOfB, 14_400, 15_600);
    }

    [Fact]
    public void Pick_SimpleShuffleWithRpmOnEveryDeployment_UsesRpmAsWeights()
    {
        var group = Group(D("a", rpm: 100), D("b", rpm: 900));

        Assert.Equal([100d, 900d], group.Weights);
        Assert.Equal([1d, 1d], Group(D("a", rpm: 100), D("b")).Weights);
        Assert.Equal([10d, 30d], Group(D("a", tpm: 10), D("b", tpm: 30)).Weights);
        Assert.Equal([2d, 1d], Group(D("a", weight: 2, rpm: 5), D("b", rpm: 500)).Weights);
    }

    [Fact]
    public void Pick_Untried_PreferredOverTried()
    {
        var group = Group(D("a"), D("b"));
        var picker = Picker(RoutingStrategyKind.SimpleShuffle);

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal("b", picker.Pick(group, DeploymentPicker.MarkTried(0, 0), Now).Deployment!.Id);
        }

        // All tried: any may be picked again.
        Assert.NotNull(picker.Pick(group, 0b11, Now).Deployment);
    }

    [Fact]
    public void Pick_CoolingDown_IsSkippedAndAllCoolingReportsEarliestEnd()
    {
        var cooldowns = new InMemoryCooldownStore(new RouterOptions { AllowedFails = 0 });
        var group = Group(D("a"), D("b"));
        cooldowns.RecordFailure("a", Now, TimeSpan.FromSeconds(10));
        var picker = Picker(RoutingStrategyKind.SimpleShuffle, cooldowns);

        Assert.All(Enumerable.Range(0, 20), _ => Assert.Equal("b", picker.Pick(group, 0, Now).Deployment!.Id));

        cooldowns.RecordFailure("b", Now, TimeSpan.FromSeconds(4));
        var none = picker.Pick(group, 0, Now);
        Assert.Null(none.Deployment);
        Assert.Equal(Now.AddSeconds(4), none.CoolingDownUntil);
        Assert.False(none.AllAtRateLimit);
        Assert.NotNull(Picker(RoutingStrategyKind.SimpleShuffle, cooldowns, disableCooldowns: true).Pick(group, 0, Now).Deployment);
    }

    [Fact]
    public void Pick_RpmReachedThisMinute_IsSkippedUntilTheNextMinute()
    {
        var group = Group(D("a", rpm: 2));
        var picker = Picker(RoutingStrategyKind.SimpleShuffle);
        var load = group.Deployments[0].Load;
        load.CountRequest(DeploymentPicker.MinuteOf(Now));
        load.CountRequest(DeploymentPicker.MinuteOf(Now));

        var limited = picker.Pick(group, 0, Now);

        Assert.Null(limited.Deployment);
        Assert.True(limited.AllAtRateLimit);
        Assert.NotNull(picker.Pick(group, 0, Now.AddSeconds(30)).Deployment);
    }

    [Fact]
    public void Pick_DeploymentThatCannotBeCalled_OnlyWhenNothingElseIs()
    {
        var cooldowns = new InMemoryCooldownStore(new RouterOptions { AllowedFails = 0 });
        var group = Group(D("broken") with { MissingApiKeyVariable = "UNSET_KEY" }, D("ok"));
        var picker = Picker(RoutingStrategyKind.SimpleShuffle, cooldowns);

        // Something else can be called: "ok" is offered, untried or already tried by this request.
        Assert.All(Enumerable.Range(0, 20), _ => Assert.Equal("ok", picker.Pick(group, 0, Now).Deployment!.Id));
        Assert.Equal("ok", picker.Pick(group, 0b10, Now).Deployment!.Id);

        // Nothing else is: "ok" cools down. Now "broken" is offered (so the client learns why), not "all cooling down".
        cooldowns.RecordFailure("ok", Now, TimeSpan.FromSeconds(10));
        var onlyBroken = picker.Pick(group, 0, Now);
        Assert.Equal(("broken", 0), (onlyBroken.Deployment?.Id, onlyBroken.Index));
        Assert.Null(onlyBroken.CoolingDownUntil);

        // And once "ok" is back, it is preferred again.
        Assert.Equal("ok", picker.Pick(group, 0, Now.AddSeconds(10)).Deployment!.Id);
    }

    [Fact]
    public void Pick_DeploymentThatCannotBeCalled_OfferedWhenTheOtherIsAtItsRpm()
    {
        var group = Group(D("broken", rpm: 100) with { MissingApiKeyVariable = "UNSET_KEY" }, D("ok", rpm: 1));
        var picker = Picker(RoutingStrategyKind.SimpleShuffle);
        Assert.Equal("ok", picker.Pick(group, 0, Now).Deployment!.Id);

        group.Deployments[1].Load.CountRequest(DeploymentPicker.MinuteOf(Now));
        var onlyBroken = picker.Pick(group, 0, Now);

        Assert.Equal("broken", onlyBroken.Deployment?.Id);
        Assert.False(onlyBroken.AllAtRateLimit);
    }

    [Fact]
    public void Pick_LeastBusy_ChoosesFewestInFlightAndSpreadsTies()
    {
        var group = Group(D("a"), D("b"), D("c"));
        var picker = Picker(RoutingStrategyKind.LeastBusy);
        group.Deployments[0].Load.Begin();
        group.Deployments[1].Load.Begin();

        Assert.All(Enumerable.Range(0, 20), _ => Assert.Equal("c", picker.Pick(group, 0, Now).Deployment!.Id));

        group.Deployments[0].Load.End();
        var counts = Enumerable.Range(0, 2_000).GroupBy(_ => picker.Pick(group, 0, Now).Deployment!.Id).ToDictionary(g => g.Key, g => g.Count());
        Assert.False(counts.ContainsKey("b"));
        Assert.InRange(counts["a"], 850, 1_150);
    }

    [Fact]
    public void Pick_LatencyBased_MeasuresUnknownFirstThenPrefersLowestWithSomeExploration()
    {
        var group = Group(D("slow"), D("fast"));
        var picker = Picker(RoutingStrategyKind.LatencyBased, seed: 3);
        group.Deployments[1].Load.RecordLatency(TimeSpan.FromMilliseconds(50));

        // "slow" has no sample yet: outside exploration it is measured first.
        var first = Enumerable.Range(0, 100).Count(_ => picker.Pick(group, 0, Now).Deployment!.Id == "slow");
        Assert.InRange(first, 90, 100);

        group.Deployments[0].Load.RecordLatency(TimeSpan.FromMilliseconds(400));
        var picksOfSlow = Enumerable.Range(0, 10_000).Count(_ => picker.Pick(group, 0, Now).Deployment!.Id == "slow");

        // Exploration is 10 % uniform over both: about 5 % land on "slow".
        Assert.InRange(picksOfSlow, 350, 650);
    }

    [Fact]
    public void RecordLatency_MovingAverage_WeighsTheNewestSample()
    {
        var load = new DeploymentLoad();
        Assert.True(load.LatencyMs < 0);

        load.RecordLatency(TimeSpan.FromMilliseconds(100));
        load.RecordLatency(TimeSpan.FromMilliseconds(200));

        Assert.Equal(130, load.LatencyMs, precision: 6);
    }
}
