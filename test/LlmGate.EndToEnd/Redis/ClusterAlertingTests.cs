using LlmGate.Testing;

namespace LlmGate.EndToEnd.Redis;

/// <summary>Three gateway processes sharing one Redis page once for the cluster, however the failures are spread.</summary>
[Collection(GatewayCluster.Collection)]
public sealed class ClusterAlertingTests
{
    private const int Database = 1;

    [RedisFact]
    public async Task ThreeReplicas_FailuresSpreadAcrossThem_OneTriggerAtTheGlobalThresholdThenOneResolve()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.FailWithStatus = 503;
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        var url = await TestRedis.FreshDatabaseUrlAsync(Database);
        await using var cluster = await GatewayCluster.StartAsync(3, url, upstream, pagerDuty,
            "{failure_threshold: 10, failure_threshold_window_seconds: 8}", GatewayCluster.OneAttemptNoCooldowns);
        await cluster.WaitForAllAsync(s => GatewayCluster.Shared(s) && GatewayCluster.Replicas(s) == 3, "shared state with 3 replicas");

        // 3 replicas x 3 failures: 9 anywhere, below the threshold of 10. Each replica alone sees 3.
        await Task.WhenAll(Enumerable.Range(0, 3).SelectMany(r => Enumerable.Range(0, 3).Select(_ => cluster.ChatAsync(r))));
        await cluster.WaitForAllAsync(s => GatewayCluster.FailureCount(s) == 9, "the global count of 9");
        Assert.Empty(pagerDuty.Requests);

        // The tenth, on one replica: the cluster crosses the threshold and exactly one replica pages.
        Assert.Equal(503, await cluster.ChatAsync(1));
        await pagerDuty.WaitForEventsAsync(1, TimeSpan.FromSeconds(10));
        await cluster.WaitForAllAsync(s => GatewayCluster.OpenIncidents(s) == 1, "the incident open everywhere");
        var trigger = Assert.Single(pagerDuty.Events);
        Assert.Equal("trigger", trigger.EventAction);
        Assert.StartsWith("High LLM API Failure Rate: 10 in the last 8 seconds.", trigger.Summary, StringComparison.Ordinal);

        // Recovery: the window empties, then stays quiet for a full window; one resolve for the cluster.
        upstream.FailWithStatus = null;
        await pagerDuty.WaitForEventsAsync(2, TimeSpan.FromSeconds(40));
        await cluster.WaitForAllAsync(s => GatewayCluster.OpenIncidents(s) == 0 && s.GetProperty("outbox_depth").GetInt32() == 0, "the incident resolved everywhere");
        Assert.Equal(["trigger", "resolve"], pagerDuty.Events.Select(e => e.EventAction));
        Assert.Equal(trigger.DedupKey, pagerDuty.Events[1].DedupKey);
    }
}
