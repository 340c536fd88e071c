using LlmGate.Alerting;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Alerting;

public sealed class RedisAlertStateStoreTests
{
    private const int Database = 2;
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [RedisFact]
    public async Task Count_FailuresOnTwoReplicas_IsTheClusterSumUntilTheyLeaveTheWindow()
    {
        await using var pair = await RedisStorePair.StartAsync(Database, Start);
        var (time, a, b) = (pair.Time, pair.A, pair.B);

        a.Fail(3);
        b.Fail(4);
        Assert.Equal(3, a.Store.Count(AlertKind.Failure, AlertScopes.Gateway, time.GetUtcNow())); // its own, before any sync
        await a.SyncAsync();
        await b.SyncAsync();
        await a.SyncAsync();

        Assert.Equal(7, a.Store.Count(AlertKind.Failure, AlertScopes.Gateway, time.GetUtcNow()));
        Assert.Equal(7, b.Store.Count(AlertKind.Failure, AlertScopes.Gateway, time.GetUtcNow()));
        var snapshot = b.Store.Snapshot(AlertKind.Failure, AlertScopes.Gateway, time.GetUtcNow());
        Assert.Equal(7, snapshot.Count);
        Assert.Equal(7, snapshot.Breakdown[new BreakdownKey("gpt-4o", "d1", 503)]);
        Assert.Equal(5, snapshot.RecentErrors.Count);
        Assert.Equal(2, a.Connection.Replicas);

        time.Advance(TimeSpan.FromSeconds(61)); // the default failure window is 60 s
        await a.SyncAsync();
        Assert.Equal(0, a.Store.Count(AlertKind.Failure, AlertScopes.Gateway, time.GetUtcNow()));
    }

    [RedisFact]
    public async Task Peak_BurstAcrossReplicasSplitByATick_IsTheClusterBurst()
    {
        await using var pair = await RedisStorePair.StartAsync(Database, Start);
        var (time, a, b) = (pair.Time, pair.A, pair.B);

        time.Advance(TimeSpan.FromSeconds(0.5));
        a.Fail(2);
        time.Advance(TimeSpan.FromSeconds(59.3));
        b.Fail(3);
        var since = time.GetUtcNow().AddSeconds(-0.2); // the last tick
        time.Advance(TimeSpan.FromSeconds(0.8));
        await b.SyncAsync();
        await a.SyncAsync();

        var now = time.GetUtcNow();
        Assert.Equal(3, a.Store.Count(AlertKind.Failure, AlertScopes.Gateway, now)); // a's two have left (buckets of 1 s)
        Assert.Equal(5, a.Store.Peak(AlertKind.Failure, AlertScopes.Gateway, since, now)); // but the window just after the tick held all five
        Assert.Equal(3, a.Store.Peak(AlertKind.Failure, AlertScopes.Gateway, now.AddSeconds(-0.1), now)); // windows judged before are not again
    }

    [RedisFact]
    public async Task Incident_BothReplicasDecide_ExactlyOneOpensAndExactlyOneResolves()
    {
        await using var pair = await RedisStorePair.StartAsync(Database, Start);
        var (time, a, b) = (pair.Time, pair.A, pair.B);
        var incident = new OpenIncident("key-1", AlertKind.Failure, AlertScopes.Gateway, time.GetUtcNow(), null);

        Assert.True(a.Store.TryOpenIncident(incident));
        Assert.False(b.Store.TryOpenIncident(incident with { OpenedAt = time.GetUtcNow().AddSeconds(1) }));

        var quietA = a.Store.MarkQuiet("key-1", time.GetUtcNow());
        var quietB = b.Store.MarkQuiet("key-1", time.GetUtcNow().AddSeconds(5));
        Assert.Equal(quietA, quietB); // first writer wins

        Assert.True(b.Store.TryResolveIncident("key-1"));
        Assert.False(a.Store.TryResolveIncident("key-1"));
        await a.SyncAsync();
        Assert.Empty(a.Store.ListOpenIncidents());

        // A late quiet mark for the resolved incident must not pre-date the next incident with the same key.
        a.Store.MarkQuiet("key-1", time.GetUtcNow());
        Assert.True(a.Store.TryOpenIncident(incident));
        await b.SyncAsync();
        Assert.Null(Assert.Single(b.Store.ListOpenIncidents()).QuietSince);
    }

    [RedisFact]
    public async Task Sync_IncidentOpenedByAnotherReplica_IsMirroredLocallyWithItsQuietMark()
    {
        await using var pair = await RedisStorePair.StartAsync(Database, Start);
        var (time, a, b) = (pair.Time, pair.A, pair.B);

        a.Store.TryOpenIncident(new OpenIncident("key-2", AlertKind.Hang, AlertScopes.Gateway, time.GetUtcNow(), null));
        a.Store.MarkQuiet("key-2", time.GetUtcNow());
        await b.SyncAsync();

        var mirrored = Assert.Single(b.Store.ListOpenIncidents());
        Assert.Equal(("key-2", AlertKind.Hang, time.GetUtcNow(), time.GetUtcNow()), (mirrored.DedupKey, mirrored.Kind, mirrored.OpenedAt, mirrored.QuietSince));
    }

    [Fact]
    public async Task Decisions_RedisUnreachable_AreTakenLocallyAndShownAsNotShared()
    {
        var time = new FakeTimeProvider(Start);
        await using var replica = new RedisStoreReplica("redis://127.0.0.1:1/0", AlertingFixture.DefaultOptions(), time);
        await replica.SyncAsync();

        replica.Fail(2);
        var incident = new OpenIncident("key-3", AlertKind.Failure, AlertScopes.Gateway, time.GetUtcNow(), null);

        Assert.Equal(2, replica.Store.Count(AlertKind.Failure, AlertScopes.Gateway, time.GetUtcNow()));
        Assert.True(replica.Store.TryOpenIncident(incident));
        Assert.False(replica.Store.TryOpenIncident(incident));
        Assert.True(replica.Store.TryResolveIncident("key-3"));
        var state = replica.Store.Describe();
        Assert.Equal(("redis", false, "127.0.0.1:1"), (state.Backend, state.Shared, state.Redis));
        Assert.NotNull(state.DegradedSince);
    }
}
