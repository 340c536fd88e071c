using System.Text.Json;
using LlmGate.Testing;

namespace LlmGate.EndToEnd.Redis;

/// <summary>A deployment cooled down by one replica is skipped by all, as LiteLLM does with Redis.</summary>
[Collection(GatewayCluster.Collection)]
public sealed class SharedCooldownTests
{
    private const int Database = 3;

    [RedisFact]
    public async Task CooldownsStartedOnOneReplica_TheOtherSkipsTheDeploymentsWithoutCallingThem()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.FailWithStatus = 500;
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        var url = await TestRedis.FreshDatabaseUrlAsync(Database);
        // Two deployments: a group's only deployment is never cooled down.
        await using var cluster = await GatewayCluster.StartAsync(2, url, upstream, pagerDuty,
            "{failure_threshold: 100}", "  num_retries: 0\n  allowed_fails: 0\n  cooldown_time: 60", deployments: 2);
        await cluster.WaitForAllAsync(s => GatewayCluster.Shared(s) && GatewayCluster.Replicas(s) == 2, "shared state with 2 replicas");

        // More than allowed_fails: 0 → each deployment cools down after its one failure; the second call takes the other.
        Assert.Equal(500, await cluster.ChatAsync(0));
        Assert.Equal(500, await cluster.ChatAsync(0));
        Assert.Equal(2, upstream.Received.Count);
        await cluster.WaitForAllAsync(s => CoolingDown(s) == 2, "both cooldowns seen by every replica");

        Assert.Equal(429, await cluster.ChatAsync(1)); // "No deployments available", without a call
        Assert.Equal(2, upstream.Received.Count);
    }

    private static int CoolingDown(JsonElement status) =>
        status.TryGetProperty("deployments", out var deployments)
            ? deployments.EnumerateArray().Count(d => d.TryGetProperty("cooling_down_until", out var until) && until.ValueKind == JsonValueKind.String)
            : 0;
}
