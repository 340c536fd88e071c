using System.Threading.Channels;
using LlmGate.Redis;
using StackExchange.Redis;

namespace LlmGate.Routing;

/// <summary>
/// Cooldowns shared by every replica (as LiteLLM shares them through Redis): a deployment cooled down by one replica is
/// skipped by all. The request path reads a local mirror (a dictionary read, no network) and this replica's own store;
/// a cooldown this replica starts is queued, published by the sync loop into one sorted set (member = deployment id,
/// score = end in Unix ms, ZADD GT keeps the latest end), and the set is read back into the mirror every 0.5 s.
/// Failure counts (<c>allowed_fails</c>) stay per replica, as the router's health counts do.
/// </summary>
internal sealed class RedisCooldownStore : ICooldownStore, IRedisParticipant
{
    public const int PendingCapacity = 1_000;

    private readonly InMemoryCooldownStore _local;
    private readonly RedisConnection _redis;
    private readonly TimeProvider _time;
    private readonly Channel<(string DeploymentId, DateTimeOffset Until)> _pending =
        Channel.CreateBounded<(string, DateTimeOffset)>(new BoundedChannelOptions(PendingCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    // Touched only by the sync loop: cooldowns not yet published (kept across an outage while they last).
    private readonly Dictionary<string, DateTimeOffset> _unpublished = new(StringComparer.Ordinal);

    // The cluster's cooldowns as of the last sync; replaced whole, read without a lock.
    private volatile Dictionary<string, long> _cluster = new(StringComparer.Ordinal);

    public RedisCooldownStore(InMemoryCooldownStore local, RedisConnection redis, TimeProvider time)
    {
        _local = local;
        _redis = redis;
        _time = time;
    }

    public DateTimeOffset? CoolingDownUntil(string deploymentId, DateTimeOffset now)
    {
        var local = _local.CoolingDownUntil(deploymentId, now);
        var cluster = _cluster;
        if (cluster.Count == 0 || !cluster.TryGetValue(deploymentId, out var untilMs))
        {
            return local;
        }

        var until = DateTimeOffset.FromUnixTimeMilliseconds(untilMs);
        return until > now && (local is null || until > local) ? until : local;
    }

    public DateTimeOffset? RecordFailure(string deploymentId, DateTimeOffset now, TimeSpan? coolFor)
    {
        var until = _local.RecordFailure(deploymentId, now, coolFor);
        if (until is { } end)
        {
            _pending.Writer.TryWrite((deploymentId, end)); // full only if Redis is far behind: this replica still skips it
        }

        return until;
    }

    public IReadOnlyList<KeyValuePair<string, DateTimeOffset>> ListCoolingDown(DateTimeOffset now)
    {
        var merged = _local.ListCoolingDown(now).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var (id, untilMs) in _cluster)
        {
            var until = DateTimeOffset.FromUnixTimeMilliseconds(untilMs);
            if (until > now && (!merged.TryGetValue(id, out var local) || until > local))
            {
                merged[id] = until;
            }
        }

        return [.. merged];
    }

    public async Task SyncAsync(IDatabase database, bool rejoining, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var now = _time.GetUtcNow();
        while (_pending.Reader.TryRead(out var item))
        {
            if (!_unpublished.TryGetValue(item.DeploymentId, out var known) || item.Until > known)
            {
                _unpublished[item.DeploymentId] = item.Until;
            }
        }

        var nowMs = now.ToUnixTimeMilliseconds();
        var batch = database.CreateBatch();
        var tasks = new List<Task>();
        foreach (var (id, until) in _unpublished)
        {
            if (until > now)
            {
                tasks.Add(batch.SortedSetAddAsync(RedisKeys.Cooldowns, id, until.ToUnixTimeMilliseconds(), SortedSetWhen.GreaterThan));
            }
        }

        tasks.Add(batch.SortedSetRemoveRangeByScoreAsync(RedisKeys.Cooldowns, double.NegativeInfinity, nowMs));
        var read = batch.SortedSetRangeByScoreWithScoresAsync(RedisKeys.Cooldowns, nowMs, double.PositiveInfinity, Exclude.Start);
        tasks.Add(read);
        batch.Execute();
        await Task.WhenAll(tasks);
        _unpublished.Clear();

        var cluster = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in read.Result)
        {
            cluster[(string)entry.Element!] = (long)entry.Score;
        }

        _cluster = cluster;
    }
}
