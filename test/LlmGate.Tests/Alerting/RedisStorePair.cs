using LlmGate.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Alerting;

/// <summary>Two replicas' stores on a fresh test database and one fake clock, each synced once.</summary>
internal sealed class RedisStorePair : IAsyncDisposable
{
    private RedisStorePair(FakeTimeProvider time, RedisStoreReplica a, RedisStoreReplica b)
    {
        Time = time;
        A = a;
        B = b;
    }

    public FakeTimeProvider Time { get; }

    public RedisStoreReplica A { get; }

    public RedisStoreReplica B { get; }

    public static async Task<RedisStorePair> StartAsync(int database, DateTimeOffset start)
    {
        var time = new FakeTimeProvider(start);
        var url = await TestRedis.FreshDatabaseUrlAsync(database);
        var pair = new RedisStorePair(time, new RedisStoreReplica(url, AlertingFixture.DefaultOptions(), time), new RedisStoreReplica(url, AlertingFixture.DefaultOptions(), time));
        await pair.A.SyncAsync();
        await pair.B.SyncAsync();
        return pair;
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}
