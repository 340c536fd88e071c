using LlmGate.Testing;

namespace LlmGate.Tests.Health;

public sealed class BackgroundHealthChecksTests : HealthTestsBase
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task StartAsync_OneRoundAtStartThenOnePerInterval()
    {
        var upstream = await UpstreamAsync();
        var harness = Harness($"""
            model_list:
            {HealthHarness.Deployment("gpt-4o", upstream, "d1")}
            general_settings:
              background_health_checks: true
              health_check_interval: 30
            """);
        var first = harness.Background.NextRoundCompleted;

        await harness.Background.StartAsync(CancellationToken.None);
        await first.WaitAsync(Deadline);
        Assert.Single(upstream.Received);
        Assert.Equal(HealthHarness.Start, harness.Store.Get("d1")!.CheckedAt);

        var second = harness.Background.NextRoundCompleted;
        harness.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(second.IsCompleted);
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await second.WaitAsync(Deadline);
        Assert.Equal(2, upstream.Received.Count);
        Assert.Equal(HealthHarness.Start.AddSeconds(30), harness.Store.Get("d1")!.CheckedAt);

        var third = harness.Background.NextRoundCompleted;
        harness.Time.Advance(TimeSpan.FromSeconds(30));
        await third.WaitAsync(Deadline);
        Assert.Equal(3, upstream.Received.Count);
        await harness.Background.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task RunRoundAsync_FailsThenRecovers_OneWarningWhenItTurnsUnhealthyOneInfoWhenItRecovers()
    {
        var upstream = await UpstreamAsync();
        upstream.FailWithStatus = 503;
        var harness = Harness($"""
            model_list:
            {HealthHarness.Deployment("gpt-4o", upstream, "d1")}
            """);

        await harness.Background.RunRoundAsync(CancellationToken.None);
        await harness.Background.RunRoundAsync(CancellationToken.None);
        await harness.Background.RunRoundAsync(CancellationToken.None);
        Assert.False(harness.Store.Get("d1")!.Healthy);
        Assert.Equal((1, 0), (harness.LogCount(8101), harness.LogCount(8102)));

        upstream.FailWithStatus = null;
        await harness.Background.RunRoundAsync(CancellationToken.None);
        await harness.Background.RunRoundAsync(CancellationToken.None);

        Assert.True(harness.Store.Get("d1")!.Healthy);
        Assert.Equal((1, 1), (harness.LogCount(8101), harness.LogCount(8102)));
        Assert.Equal(5, upstream.Received.Count);
    }

    [Fact]
    public async Task RunRoundAsync_Unhealthy_CoolsDownOnlyInAGroupWithAnotherDeployment()
    {
        var failing = await UpstreamAsync();
        var healthy = await UpstreamAsync();
        var solo = await UpstreamAsync();
        failing.FailWithStatus = 503;
        solo.FailWithStatus = 503;
        var harness = Harness($"""
            model_list:
            {HealthHarness.Deployment("gpt-4o", failing, "failing")}
            {HealthHarness.Deployment("gpt-4o", healthy, "healthy")}
            {HealthHarness.Deployment("solo", solo, "solo")}
            router_settings:
              cooldown_time: 60
            """);

        await harness.Background.RunRoundAsync(CancellationToken.None);

        var now = harness.Time.GetUtcNow();
        Assert.Equal(now.AddSeconds(60), harness.Cooldowns.CoolingDownUntil("failing", now));
        Assert.Null(harness.Cooldowns.CoolingDownUntil("healthy", now));
        Assert.Null(harness.Cooldowns.CoolingDownUntil("solo", now));
        Assert.False(harness.Store.Get("solo")!.Healthy);
        var started = Assert.Single(harness.Listener.Started);
        Assert.Equal(("failing", "gpt-4o", 503, now.AddSeconds(60)), started);
    }

    [Theory]
    [InlineData(500, "disable_cooldowns: true")]
    [InlineData(400, "cooldown_time: 60")] // what the request caused (here the gateway's own probe): never counted
    public async Task RunRoundAsync_FailureThatMustNotCoolDown_UnhealthyWithoutCooldown(int status, string routerSetting)
    {
        var failing = await UpstreamAsync();
        var healthy = await UpstreamAsync();
        failing.FailWithStatus = status;
        var harness = Harness($"""
            model_list:
            {HealthHarness.Deployment("gpt-4o", failing, "failing")}
            {HealthHarness.Deployment("gpt-4o", healthy, "healthy")}
            router_settings:
              {routerSetting}
            """);

        await harness.Background.RunRoundAsync(CancellationToken.None);

        Assert.False(harness.Store.Get("failing")!.Healthy);
        Assert.Null(harness.Cooldowns.CoolingDownUntil("failing", harness.Time.GetUtcNow()));
        Assert.Empty(harness.Listener.Started);
    }

    [Fact]
    public async Task RunRoundAsync_HangingDeployment_UnhealthyAtItsTimeoutWhileTheOtherIsCheckedAtOnce()
    {
        var hanging = await UpstreamAsync();
        var healthy = await UpstreamAsync();
        hanging.Hang = true;
        var harness = Harness($"""
            model_list:
            {HealthHarness.Deployment("gpt-4o", hanging, "hanging", ", health_check_timeout: 2")}
            {HealthHarness.Deployment("gpt-4o", healthy, "healthy")}
            """);

        var round = harness.Background.RunRoundAsync(CancellationToken.None);
        // Both calls are out before any time passes: the checks run side by side, not one after the other.
        await Task.WhenAll(hanging.RequestArrived, healthy.RequestArrived).WaitAsync(Deadline);
        harness.Time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(round.IsCompleted);
        harness.Time.Advance(TimeSpan.FromSeconds(0.1));
        await round.WaitAsync(Deadline);

        var result = harness.Store.Get("hanging")!;
        Assert.False(result.Healthy);
        Assert.Contains("timed out after 2 s", result.Error, StringComparison.Ordinal);
        Assert.True(harness.Store.Get("healthy")!.Healthy);
        await hanging.RequestCancelled.WaitAsync(Deadline);
    }

    [Fact]
    public async Task RunRoundAsync_DisableBackgroundHealthCheck_DeploymentLeftOut()
    {
        var skipped = await UpstreamAsync();
        var checkedOne = await UpstreamAsync();
        var harness = Harness($"""
            model_list:
            {HealthHarness.Deployment("gpt-4o", skipped, "skipped", ", disable_background_health_check: true")}
            {HealthHarness.Deployment("gpt-4o", checkedOne, "checked")}
            """);

        await harness.Background.RunRoundAsync(CancellationToken.None);

        Assert.Empty(skipped.Received);
        Assert.Null(harness.Store.Get("skipped"));
        Assert.Equal(["checked"], harness.Store.Latest.Select(r => r.DeploymentId));
    }
}
