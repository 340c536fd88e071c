using LlmGate.Testing;

namespace LlmGate.EndToEnd.Redis;

/// <summary>Redis going away is not an outage of the gateway; Redis coming back does not page again.</summary>
[Collection(GatewayCluster.Collection)]
public sealed class RedisOutageTests
{
    [RedisServerFact]
    public async Task RedisStoppedThenRestarted_RequestsKeepFlowingDegradedThenConvergeWithoutAStorm()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var upstream = await FakeUpstream.StartAsync();
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var cluster = await GatewayCluster.StartAsync(2, redis.Url, upstream, pagerDuty,
            "{failure_threshold: 3, failure_threshold_window_seconds: 600}", GatewayCluster.OneAttemptNoCooldowns);
        await cluster.WaitForAllAsync(s => GatewayCluster.Shared(s) && GatewayCluster.Replicas(s) == 2, "shared state with 2 replicas");
        Assert.Equal((200, "healthy"), await cluster.ReadinessAsync(0));

        await redis.StopAsync();

        // Requests go on; each replica is ready but degraded, its state local.
        Assert.Equal(200, await cluster.ChatAsync(0));
        Assert.Equal(200, await cluster.ChatAsync(1));
        await cluster.WaitForAllAsync(s => !GatewayCluster.Shared(s), "local state");
        Assert.Equal((200, "degraded"), await cluster.ReadinessAsync(0));
        Assert.Equal((200, "degraded"), await cluster.ReadinessAsync(1));

        // Replica 0 alone crosses the threshold meanwhile and pages from its local window.
        upstream.FailWithStatus = 503;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(503, await cluster.ChatAsync(0));
        }

        await pagerDuty.WaitForEventsAsync(1, TimeSpan.FromSeconds(10));

        // Redis comes back empty: the local incident is adopted (not re-sent), the buffered counts are flushed, and
        // replica 1, which now sees 3 failures in the cluster, finds the incident open instead of paging.
        await redis.StartAgainAsync();
        await cluster.WaitForAllAsync(
            s => GatewayCluster.Shared(s) && GatewayCluster.FailureCount(s) == 3 && GatewayCluster.OpenIncidents(s) == 1,
            "shared again with the outage's count and incident");
        Assert.Equal((200, "healthy"), await cluster.ReadinessAsync(1));
        Assert.Equal(503, await cluster.ChatAsync(1));
        await cluster.WaitForAllAsync(s => GatewayCluster.FailureCount(s) == 4, "the next failure counted everywhere");
        await cluster.WaitForAllAsync(s => s.GetProperty("outbox_depth").GetInt32() == 0, "nothing left to send");

        var trigger = Assert.Single(pagerDuty.Events);
        Assert.Equal("trigger", trigger.EventAction);
    }
}
