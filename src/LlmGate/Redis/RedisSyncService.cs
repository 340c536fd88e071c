using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace LlmGate.Redis;

/// <summary>
/// Twice a second, off the request path: heartbeats this replica, then lets every participant push what it buffered
/// and pull what the cluster shares. A failed round trip switches the replica to local state until one succeeds.
/// </summary>
internal sealed class RedisSyncService : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    /// <summary>A replica that has not heartbeated for this long no longer counts.</summary>
    public static readonly TimeSpan ReplicaExpiry = TimeSpan.FromSeconds(10);

    private readonly RedisConnection _connection;
    private readonly IReadOnlyList<IRedisParticipant> _participants;
    private readonly TimeProvider _time;
    private readonly PeriodicTimer _timer;
    private readonly IRedisSyncObserver[] _observers;

    public RedisSyncService(RedisConnection connection, IEnumerable<IRedisParticipant> participants, TimeProvider time, IEnumerable<IRedisSyncObserver>? observers = null)
    {
        _connection = connection;
        _observers = [.. observers ?? []];
        _participants = [.. participants];
        _time = time;
        _timer = new PeriodicTimer(Interval, time);
    }

    /// <summary>One round trip; exposed for tests.</summary>
    public async Task SyncOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _connection.ConnectAsync();
            var database = _connection.Database ?? throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "not connected");
            var replicas = await HeartbeatAsync(database);
            var rejoining = !_connection.IsShared;
            foreach (var participant in _participants)
            {
                await participant.SyncAsync(database, rejoining, cancellationToken);
            }

            _connection.ReportSuccess(replicas);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            _connection.ReportFailure(exception);
        }

        foreach (var observer in _observers)
        {
            observer.OnSyncRound();
        }
    }

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await SyncOnceAsync(stoppingToken);
            while (await _timer.WaitForNextTickAsync(stoppingToken))
            {
                await SyncOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<int> HeartbeatAsync(IDatabase database)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var batch = database.CreateBatch();
        var add = batch.SortedSetAddAsync(RedisKeys.Replicas, _connection.ReplicaId, now);
        var prune = batch.SortedSetRemoveRangeByScoreAsync(RedisKeys.Replicas, double.NegativeInfinity, now - ReplicaExpiry.TotalMilliseconds);
        var expire = batch.KeyExpireAsync(RedisKeys.Replicas, ReplicaExpiry * 6);
        var count = batch.SortedSetLengthAsync(RedisKeys.Replicas);
        batch.Execute();
        await Task.WhenAll(add, prune, expire, count);
        return (int)count.Result;
    }
}
