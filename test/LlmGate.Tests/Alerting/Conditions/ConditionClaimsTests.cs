using LlmGate.Alerting;
using LlmGate.Alerting.Conditions;
using LlmGate.Configuration;
using LlmGate.Redis;
using LlmGate.Testing;
using LlmGate.Tests.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace LlmGate.Tests.Alerting.Conditions;

/// <summary>Replicas sharing a Redis: one of them tells each condition (database 12 of the test Redis).</summary>
public sealed class ConditionClaimsTests
{
    private const int Database = 12; // its own: RedisSilenceSyncTests flushes 11 while these run beside them
    private static readonly AlertingOptions Options = new() { FailureWindow = TimeSpan.FromSeconds(60) };

    [RedisFact]
    public async Task Evaluate_TwoReplicasSeeFailures_OneTriggerAndTheOwnerResolvesOnceTheClaimLapses()
    {
        var url = await TestRedis.FreshDatabaseUrlAsync(Database);
        await using var redisA = await ConnectAsync(url);
        await using var redisB = await ConnectAsync(url);
        using var a = new ConditionHarness(Options, types: [AlertTypeNames.LlmExceptions], claims: new RedisConditionClaims(redisA));
        using var b = new ConditionHarness(Options, types: [AlertTypeNames.LlmExceptions], claims: new RedisConditionClaims(redisB));

        a.Fail("gpt-4o", "d1", 503);
        a.Step();
        b.Fail("gpt-4o", "d2", 503);
        b.Step();

        var trigger = Assert.Single(a.Channel.Rendered);
        Assert.Empty(b.Channel.Rendered);
        var key = RedisConditionClaims.KeyPrefix + trigger.DedupKey;
        await using var admin = await ConnectionMultiplexer.ConnectAsync(TestRedis.Address!);
        var database = admin.GetDatabase(Database);
        Assert.Equal(redisA.ReplicaId, (string?)await database.StringGetAsync(key));
        Assert.InRange((await database.KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(60));

        // Both replicas' quiet periods pass on their clocks, but the claim (on Redis's clock) has not lapsed.
        a.RunFor(TimeSpan.FromSeconds(61));
        b.RunFor(TimeSpan.FromSeconds(61));
        Assert.Single(a.Channel.Rendered);
        Assert.Empty(b.Channel.Rendered);
        Assert.Empty(b.Set.Exceptions!.Tracker.Open); // the replica that does not own it forgot it

        await database.KeyDeleteAsync(key); // the claim lapses
        a.Step();

        Assert.Equal([AlertAction.Trigger, AlertAction.Resolve], a.Channel.Rendered.Select(n => n.Action));
        Assert.Equal(trigger.DedupKey, a.Channel.Rendered[1].DedupKey);
        Assert.Empty(b.Channel.Rendered);
    }

    [RedisFact]
    public async Task Evaluate_MajorReachedOnAnotherReplica_EscalationToldOnceByTheFirstToClaimIt()
    {
        var url = await TestRedis.FreshDatabaseUrlAsync(Database);
        var options = new AlertingOptions { MinorOutageThreshold = 2, MajorOutageThreshold = 4 };
        await using var redisA = await ConnectAsync(url);
        await using var redisB = await ConnectAsync(url);
        using var a = new ConditionHarness(options, types: [AlertTypeNames.OutageAlerts], claims: new RedisConditionClaims(redisA));
        using var b = new ConditionHarness(options, types: [AlertTypeNames.OutageAlerts], claims: new RedisConditionClaims(redisB));

        for (var i = 0; i < 2; i++)
        {
            a.Fail("gpt-4o", "d1", 503);
        }

        a.Step();
        for (var i = 0; i < 4; i++)
        {
            b.Fail("gpt-4o", "d1", 503);
        }

        b.Step();
        for (var i = 0; i < 2; i++)
        {
            a.Fail("gpt-4o", "d1", 503);
        }

        a.Step();

        Assert.Equal(["Minor service outage"], a.Channel.Rendered.Select(n => n.Title));
        Assert.Equal(["Major service outage"], b.Channel.Rendered.Select(n => n.Title));
    }

    [Fact]
    public async Task Evaluate_RedisNotReachable_ReplicaTellsOnItsOwn()
    {
        var reader = new ConfigReader(_ => null);
        var options = RedisReader.ParseUrl(reader, "redis://127.0.0.1:1/0", "test", null)!;
        await using var redis = new RedisConnection(options, new FakeTimeProvider(), NullLogger<RedisConnection>.Instance); // never connected
        using var harness = new ConditionHarness(Options, types: [AlertTypeNames.LlmExceptions], claims: new RedisConditionClaims(redis));

        harness.Fail("gpt-4o", "d1", 503);
        harness.Step();
        harness.RunFor(Options.FailureWindow);

        Assert.Equal([AlertAction.Trigger, AlertAction.Resolve], harness.Channel.Rendered.Select(n => n.Action));
    }

    private static async Task<RedisConnection> ConnectAsync(string url)
    {
        var connection = PatientRedis.Connection(url, TimeProvider.System);
        await connection.ConnectAsync();
        connection.ReportSuccess(2);
        return connection;
    }
}
