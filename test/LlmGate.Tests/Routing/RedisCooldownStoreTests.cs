using LlmGate.Configuration;
using LlmGate.Redis;
using LlmGate.Routing;
using LlmGate.Testing;
using LlmGate.Tests.Alerting;
using LlmGate.Tests.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Routing;

public sealed class RedisCooldownStoreTests
{
    private const int Database = 4;
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [RedisFact]
    public async Task RecordFailure_CooldownOnOneReplica_SeenByTheOtherAfterASyncUntilItEnds()
    {
        var time = new FakeTimeProvider(Start);
        var url = await TestRedis.FreshDatabaseUrlAsync(Database);
        var options = RouterOptions.Default with { AllowedFails = 0, CooldownTime = TimeSpan.FromSeconds(30) };
        var (a, syncA, connectionA) = Replica(url, options, time);
        var (b, syncB, connectionB) = Replica(url, options, time);
        await using (connectionA)
        await using (connectionB)
        {
            var until = a.RecordFailure("d1", time.GetUtcNow(), coolFor: null);
            Assert.Equal(Start.AddSeconds(30), until);
            Assert.Null(b.CoolingDownUntil("d1", time.GetUtcNow())); // not published yet: never a network call on lookup

            await syncA.SyncOnceAsync(CancellationToken.None);
            await syncB.SyncOnceAsync(CancellationToken.None);

            Assert.Equal(Start.AddSeconds(30), b.CoolingDownUntil("d1", time.GetUtcNow()));
            Assert.Equal(["d1"], b.ListCoolingDown(time.GetUtcNow()).Select(p => p.Key));

            time.Advance(TimeSpan.FromSeconds(31));
            await syncB.SyncOnceAsync(CancellationToken.None);
            Assert.Null(b.CoolingDownUntil("d1", time.GetUtcNow()));
            Assert.Empty(b.ListCoolingDown(time.GetUtcNow()));
        }
    }

    private static (RedisCooldownStore Store, RedisSyncService Sync, RedisConnection Connection) Replica(string url, RouterOptions options, FakeTimeProvider time)
    {
        var connection = PatientRedis.Connection(url, time);
        var store = new RedisCooldownStore(new InMemoryCooldownStore(options), connection, time);
        return (store, new RedisSyncService(connection, [store], time), connection);
    }
}
