using LlmGate.Alerting;
using LlmGate.Configuration;
using LlmGate.Redis;
using LlmGate.Tests.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Alerting;

/// <summary>One replica's shared store and sync loop against a test Redis, on a shared fake clock.</summary>
internal sealed class RedisStoreReplica : IAsyncDisposable
{
    private readonly RedisSyncService _sync;

    public RedisStoreReplica(string redisUrl, AlertingOptions options, FakeTimeProvider time)
    {
        Time = time;
        Connection = PatientRedis.Connection(redisUrl, time);
        var scopes = AlertScopes.Create([], perModelGroup: false);
        Store = new RedisAlertStateStore(new InMemoryAlertStateStore(AlertRule.From(options), scopes), AlertRule.From(options), scopes, Connection, time, NullLogger<RedisAlertStateStore>.Instance);
        _sync = new RedisSyncService(Connection, [Store], time);
    }

    public FakeTimeProvider Time { get; }

    public RedisConnection Connection { get; }

    public RedisAlertStateStore Store { get; }

    public Task SyncAsync() => _sync.SyncOnceAsync(CancellationToken.None);

    public void Fail(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Store.Record(AlertKind.Failure, AlertScopes.Gateway, new AlertObservation(Time.GetUtcNow(), "gpt-4o", "d1", "openai", 503, "api_error", "down"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _sync.Dispose();
        await Connection.DisposeAsync();
    }
}
