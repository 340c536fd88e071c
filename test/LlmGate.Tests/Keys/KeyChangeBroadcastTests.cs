using LlmGate.Keys;
using LlmGate.Redis;
using LlmGate.Testing;
using LlmGate.Tests.Alerting;
using LlmGate.Tests.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmGate.Tests.Keys;

/// <summary>A change published by one replica marks the key stale on another through a real Redis.</summary>
public sealed class KeyChangeBroadcastTests : IDisposable
{
    private const int Database = 6;
    private readonly TempDirectory _directory = new();

    [RedisFact]
    public async Task ChangeOnOneReplica_MarksTheKeyStaleOnTheOther()
    {
        var url = await TestRedis.FreshDatabaseUrlAsync(Database);
        await using var store = new SqliteKeyStore(Path.Combine(_directory.Path, "keys.db"), TimeProvider.System, NullLogger<SqliteKeyStore>.Instance);
        await store.MigrateAsync(CancellationToken.None);
        var token = KeyHashes.Of("sk-broadcast-" + Guid.NewGuid().ToString("N"));
        await store.CreateKeyAsync(new VirtualKey { Token = token, KeyName = "sk-...test" }, CancellationToken.None);
        var onA = new KeyDirectory(store);
        var onB = new KeyDirectory(store);
        var keyOnB = await onB.FindAsync(token);
        Assert.NotNull(keyOnB);
        Assert.False(keyOnB.IsStale);

        await using var connectionA = await ConnectAsync(url);
        await using var connectionB = await ConnectAsync(url);
        var broadcastA = new KeyChangeBroadcast(connectionA, onA, NullLogger<KeyChangeBroadcast>.Instance);
        var broadcastB = new KeyChangeBroadcast(connectionB, onB, NullLogger<KeyChangeBroadcast>.Instance);
        broadcastB.EnsureSubscribed();
        await connectionB.Subscriber!.PingAsync(); // the subscription is in place once a round trip after it has returned

        broadcastA.Publish(new EntityChange(SpendEntityKind.Key, token));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!keyOnB.IsStale && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.True(keyOnB.IsStale);
    }

    public void Dispose() => _directory.Dispose();

    private static async Task<RedisConnection> ConnectAsync(string url)
    {
        var connection = PatientRedis.Connection(url, TimeProvider.System);
        await connection.ConnectAsync();
        return connection;
    }
}
