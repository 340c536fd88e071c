using LlmGate.Alerting.Delivery;
using LlmGate.Alerting.Silences;
using LlmGate.Redis;
using LlmGate.Testing;
using LlmGate.Tests.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Alerting.Silences;

public sealed class RedisSilenceSyncTests
{
    private const int Database = 11;
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [RedisFact]
    public async Task Sync_SilenceCreatedOnOneReplica_ActiveOnTheOther_AndItsExpiryComesBack()
    {
        var url = await TestRedis.FreshDatabaseUrlAsync(Database);
        var time = new FakeTimeProvider(Start);
        await using var a = new Replica(url, time);
        await using var b = new Replica(url, time);
        var silence = TestSilences.Create("class=llm_api_failure", Start, TimeSpan.FromHours(2));

        a.Store.Put(silence);
        await a.SyncAsync();
        await b.SyncAsync();

        Assert.Equal(silence.Id, b.Store.Matching(LlmGate.Alerting.AlertLabels.Of("llm_api_failure", "llm_api_failure", "gateway"), "pagerduty", Start)?.Id);
        time.Advance(TimeSpan.FromMinutes(5));
        b.Store.Expire(silence.Id);
        await b.SyncAsync();
        await a.SyncAsync();
        Assert.Equal(SilenceState.Expired, a.Store.Find(silence.Id)!.StateAt(time.GetUtcNow()));
        Assert.Empty(a.Store.Unshared());
    }

    [RedisFact]
    public async Task Sync_StaleCopyPushedOnRejoin_DoesNotUndoANewerChange()
    {
        var url = await TestRedis.FreshDatabaseUrlAsync(Database);
        var time = new FakeTimeProvider(Start);
        await using var a = new Replica(url, time);
        await using var b = new Replica(url, time);
        var silence = TestSilences.Create("class=llm_api_failure", Start, TimeSpan.FromHours(2));
        a.Store.Put(silence);
        await a.SyncAsync();
        await b.SyncAsync();
        time.Advance(TimeSpan.FromMinutes(5));
        b.Store.Expire(silence.Id);
        await b.SyncAsync();

        // A fresh replica on a's file rejoins: it pushes everything it knows, including the stale active copy.
        await using var restarted = new Replica(url, time, a.Directory);
        await restarted.SyncAsync();

        Assert.Equal(SilenceState.Expired, restarted.Store.Find(silence.Id)!.StateAt(time.GetUtcNow()));
    }

    private sealed class Replica : IAsyncDisposable
    {
        private readonly RedisConnection _connection;
        private readonly RedisSyncService _sync;
        private readonly SqliteAlertOutbox _outbox;
        private readonly TempDirectory? _ownDirectory;

        public Replica(string redisUrl, FakeTimeProvider time, string? directory = null)
        {
            if (directory is null)
            {
                _ownDirectory = new TempDirectory();
                directory = _ownDirectory.Path;
            }

            Directory = directory;
            _outbox = new SqliteAlertOutbox(SqliteAlertOutbox.PathIn(directory), time);
            Store = new SilenceStore(_outbox, time, NullLogger<SilenceStore>.Instance);
            _connection = PatientRedis.Connection(redisUrl, time);
            _sync = new RedisSyncService(_connection, [new RedisSilenceSync(Store, time, NullLogger<RedisSilenceSync>.Instance)], time);
        }

        public string Directory { get; }

        public SilenceStore Store { get; }

        public Task SyncAsync() => _sync.SyncOnceAsync(CancellationToken.None);

        public async ValueTask DisposeAsync()
        {
            _sync.Dispose();
            await _connection.DisposeAsync();
            _outbox.Dispose();
            _ownDirectory?.Dispose();
        }
    }
}
