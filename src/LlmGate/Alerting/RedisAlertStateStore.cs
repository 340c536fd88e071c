using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using LlmGate.Redis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LlmGate.Alerting;

/// <summary>
/// Alert state shared by every replica through Redis, over a local store that is always kept too.
/// <list type="bullet">
/// <item><see cref="Record"/> writes the local window and a bounded channel, nothing else: the sync loop flushes the
/// channel to time-bucketed hashes in batches and reads the cluster's counts back, so <see cref="Count"/> reads memory.</item>
/// <item>Opening, quieting and resolving an incident are single Lua scripts on one hash per state (HSETNX opens, HDEL
/// resolves): exactly one replica sees true and sends the event.</item>
/// <item>While Redis is unreachable every method answers from the local store; when it is back, incidents opened
/// locally meanwhile are adopted with HSETNX (not sent again) and the counts buffered meanwhile are flushed.</item>
/// </list>
/// </summary>
internal sealed class RedisAlertStateStore : IAlertStateStore, IRedisParticipant
{
    public const int PendingCapacity = 10_000;

    // Opens unless open; clears a quiet mark left by an earlier incident with the same key.
    private const string OpenScript = """
        if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
          redis.call('HDEL', KEYS[2], ARGV[1])
          return 1
        end
        return 0
        """;

    // First writer wins; an incident that is not open (resolved elsewhere) gets no quiet mark.
    private const string QuietScript = """
        if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
          return ARGV[2]
        end
        redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2])
        return redis.call('HGET', KEYS[2], ARGV[1])
        """;

    private const string ResolveScript = """
        if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 then
          redis.call('HDEL', KEYS[2], ARGV[1])
          return 1
        end
        return 0
        """;

    private static readonly RedisKey[] IncidentKeys = [RedisKeys.Incidents, RedisKeys.IncidentsQuiet];

    private readonly InMemoryAlertStateStore _local;
    private readonly RedisConnection _redis;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisAlertStateStore> _logger;
    private readonly Dictionary<(AlertKind, string), SharedWindow> _windows = [];
    private readonly Channel<(SharedWindow Window, AlertObservation Observation)> _pending =
        Channel.CreateBounded<(SharedWindow, AlertObservation)>(new BoundedChannelOptions(PendingCapacity)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });

    // Touched only by the sync loop: increments and observations not yet in Redis (kept across an outage).
    private readonly Dictionary<(SharedWindow Window, string Field), long> _unflushed = [];
    private readonly Dictionary<SharedWindow, List<AlertObservation>> _unflushedRecent = [];

    // The cluster's bucket counts as of the last sync; replaced whole, read without a lock.
    private volatile Dictionary<SharedWindow, (long Bucket, long Count)[]> _clusterCounts = [];

    public RedisAlertStateStore(InMemoryAlertStateStore local, IEnumerable<AlertRule> rules, AlertScopes scopes, RedisConnection redis, TimeProvider time, ILogger<RedisAlertStateStore> logger)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(scopes);
        _local = local;
        _redis = redis;
        _time = time;
        _logger = logger;
        foreach (var rule in rules)
        {
            foreach (var scope in scopes.All)
            {
                _windows[(rule.Kind, scope)] = new SharedWindow(rule, scope);
            }
        }
    }

    public void Record(AlertKind kind, string scope, in AlertObservation observation)
    {
        _local.Record(kind, scope, observation);
        if (_windows.TryGetValue((kind, scope), out var window))
        {
            _pending.Writer.TryWrite((window, observation)); // full only if Redis is far behind: the local count still has it
        }
    }

    /// <summary>The larger of the cluster's count (as of the last sync) and this replica's own, which is never stale.</summary>
    public int Count(AlertKind kind, string scope, DateTimeOffset now) => Peak(kind, scope, now, now);

    /// <summary>The larger of the cluster's peak (as of the last sync; its windows end at bucket starts) and this replica's own.</summary>
    public int Peak(AlertKind kind, string scope, DateTimeOffset since, DateTimeOffset now)
    {
        var local = _local.Peak(kind, scope, since, now);
        if (!_redis.IsShared || !_windows.TryGetValue((kind, scope), out var window) || !_clusterCounts.TryGetValue(window, out var buckets))
        {
            return local;
        }

        var firstEnd = new DateTimeOffset(SlidingWindow.FirstEnd(since.UtcTicks, now.UtcTicks, window.WindowTicks), TimeSpan.Zero);
        var cluster = ClusterCount(window, buckets, firstEnd);
        foreach (var (bucket, _) in buckets)
        {
            var start = new DateTimeOffset(bucket * window.BucketTicks, TimeSpan.Zero);
            if (start > firstEnd && start <= now)
            {
                cluster = Math.Max(cluster, ClusterCount(window, buckets, start));
            }
        }

        return (int)Math.Min(int.MaxValue, Math.Max(local, cluster));
    }

    /// <summary>Read fresh from Redis (only when a trigger is built); the local snapshot if Redis does not answer.</summary>
    public WindowSnapshot Snapshot(AlertKind kind, string scope, DateTimeOffset now)
    {
        var local = _local.Snapshot(kind, scope, now);
        if (!_windows.TryGetValue((kind, scope), out var window) || !TryDatabase(out var database))
        {
            return local;
        }

        try
        {
            var counts = database.HashGetAll(window.CountsKey);
            var recentValues = database.ListRange(window.RecentKey, 0, SlidingWindow.RecentCapacity - 1);
            var breakdown = new Dictionary<BreakdownKey, int>();
            long total = 0;
            foreach (var entry in counts)
            {
                if (SharedWindow.TryParseField(entry.Name!, out var bucket, out var key) && window.InWindow(bucket, now))
                {
                    var count = (int)(long)entry.Value;
                    breakdown[key] = breakdown.GetValueOrDefault(key) + count;
                    total += count;
                }
            }

            var recent = new List<AlertObservation>(SlidingWindow.RecentCapacity);
            foreach (var value in recentValues)
            {
                if (JsonSerializer.Deserialize((string)value!, AlertStateJsonContext.Default.AlertObservation) is var o
                    && o.Timestamp > now - TimeSpan.FromTicks(window.WindowTicks) && o.Timestamp <= now)
                {
                    recent.Add(o);
                }
            }

            var clusterCount = (int)Math.Min(int.MaxValue, total);
            return clusterCount >= local.Count
                ? new WindowSnapshot(clusterCount, breakdown, recent.Count > 0 ? recent : local.RecentErrors)
                : local;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or JsonException)
        {
            _redis.ReportFailure(exception);
            return local;
        }
    }

    public bool TryOpenIncident(OpenIncident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var opened = Shared(database => (long)database.ScriptEvaluate(OpenScript, IncidentKeys, [incident.DedupKey, Encode(incident)]) == 1);
        var openedLocally = _local.TryOpenIncident(incident); // the mirror
        return opened ?? openedLocally;
    }

    public DateTimeOffset MarkQuiet(string dedupKey, DateTimeOffset now)
    {
        var since = Shared(database =>
            new DateTimeOffset(long.Parse((string)database.ScriptEvaluate(QuietScript, IncidentKeys, [dedupKey, now.UtcTicks])!, CultureInfo.InvariantCulture), TimeSpan.Zero));
        return _local.MarkQuiet(dedupKey, since ?? now);
    }

    public void MarkBreaching(string dedupKey)
    {
        Shared(database => database.HashDelete(RedisKeys.IncidentsQuiet, dedupKey));
        _local.MarkBreaching(dedupKey);
    }

    public bool TryResolveIncident(string dedupKey)
    {
        var resolved = Shared(database => (long)database.ScriptEvaluate(ResolveScript, IncidentKeys, [dedupKey]) == 1);
        var resolvedLocally = _local.TryResolveIncident(dedupKey);
        return resolved ?? resolvedLocally;
    }

    /// <summary>The local mirror: the cluster's incidents as of the last sync plus this replica's own decisions since.</summary>
    public IReadOnlyList<OpenIncident> ListOpenIncidents() => _local.ListOpenIncidents();

    public AlertStateStatus Describe() => new()
    {
        Backend = "redis",
        Shared = _redis.IsShared,
        Redis = _redis.Endpoint,
        Replicas = _redis.Replicas,
        ReplicaId = _redis.ReplicaId,
        DegradedSince = _redis.UnavailableSince,
    };

    public async Task SyncAsync(IDatabase database, bool rejoining, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (rejoining)
        {
            // Before the counts: a replica that sees this outage's counts also sees its incidents, and does not page again.
            await AdoptLocalIncidentsAsync(database);
        }

        await FlushAsync(database);
        await PullCountsAsync(database);
        await PullIncidentsAsync(database);
    }

    private static long ClusterCount(SharedWindow window, (long Bucket, long Count)[] buckets, DateTimeOffset end)
    {
        long count = 0;
        foreach (var (bucket, bucketCount) in buckets)
        {
            if (window.InWindow(bucket, end))
            {
                count += bucketCount;
            }
        }

        return count;
    }

    private static string Encode(OpenIncident incident) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)incident.Kind}|{incident.OpenedAt.UtcTicks}|{incident.Scope}");

    private static OpenIncident? Decode(string dedupKey, string value, RedisValue quietSince)
    {
        var parts = value.Split('|', 3);
        if (parts.Length != 3
            || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var kind)
            || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var openedAt))
        {
            return null;
        }

        DateTimeOffset? quiet = quietSince.HasValue && long.TryParse((string)quietSince!, CultureInfo.InvariantCulture, out var q)
            ? new DateTimeOffset(q, TimeSpan.Zero)
            : null;
        return new OpenIncident(dedupKey, (AlertKind)kind, parts[2], new DateTimeOffset(openedAt, TimeSpan.Zero), quiet);
    }

    private bool TryDatabase(out IDatabase database)
    {
        database = _redis.Database!;
        return _redis.IsShared && database is not null;
    }

    // Runs a decision in Redis; null when Redis is not shared now or fails (the caller then decides locally).
    private T? Shared<T>(Func<IDatabase, T> operation)
        where T : struct
    {
        if (!TryDatabase(out var database))
        {
            return null;
        }

        try
        {
            return operation(database);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or FormatException)
        {
            _redis.ReportFailure(exception);
            return null;
        }
    }

    private async Task FlushAsync(IDatabase database)
    {
        while (_pending.Reader.TryRead(out var item))
        {
            var (window, observation) = item;
            var field = SharedWindow.Field(window.BucketOf(observation.Timestamp), new BreakdownKey(observation.ModelGroup, observation.DeploymentId, observation.Status));
            _unflushed[(window, field)] = _unflushed.GetValueOrDefault((window, field)) + 1;
            if (!_unflushedRecent.TryGetValue(window, out var recent))
            {
                _unflushedRecent[window] = recent = [];
            }

            recent.Add(observation);
            if (recent.Count > SlidingWindow.RecentCapacity)
            {
                recent.RemoveAt(0);
            }
        }

        var now = _time.GetUtcNow();
        foreach (var (window, field) in _unflushed.Keys.ToList())
        {
            if (SharedWindow.TryParseField(field, out var bucket, out _) && window.IsExpired(bucket, now))
            {
                _unflushed.Remove((window, field)); // buffered through an outage longer than the window
            }
        }

        if (_unflushed.Count == 0 && _unflushedRecent.Count == 0)
        {
            return;
        }

        var batch = database.CreateBatch();
        var tasks = new List<Task>();
        var touched = new HashSet<SharedWindow>();
        foreach (var ((window, field), count) in _unflushed)
        {
            tasks.Add(batch.HashIncrementAsync(window.CountsKey, field, count));
            touched.Add(window);
        }

        foreach (var (window, recent) in _unflushedRecent)
        {
            var values = recent.Select(o => (RedisValue)JsonSerializer.Serialize(o, AlertStateJsonContext.Default.AlertObservation)).ToArray();
            tasks.Add(batch.ListLeftPushAsync(window.RecentKey, values));
            tasks.Add(batch.ListTrimAsync(window.RecentKey, 0, SlidingWindow.RecentCapacity - 1));
            tasks.Add(batch.KeyExpireAsync(window.RecentKey, window.Expiry));
        }

        foreach (var window in touched)
        {
            tasks.Add(batch.KeyExpireAsync(window.CountsKey, window.Expiry));
        }

        batch.Execute();
        await Task.WhenAll(tasks);
        _unflushed.Clear();
        _unflushedRecent.Clear();
    }

    private async Task PullCountsAsync(IDatabase database)
    {
        var now = _time.GetUtcNow();
        var batch = database.CreateBatch();
        var reads = _windows.Values.Select(w => (Window: w, Read: batch.HashGetAllAsync(w.CountsKey))).ToList();
        batch.Execute();
        await Task.WhenAll(reads.Select(r => r.Read));

        var counts = new Dictionary<SharedWindow, (long, long)[]>();
        foreach (var (window, read) in reads)
        {
            var perBucket = new Dictionary<long, long>();
            var stale = new List<RedisValue>();
            foreach (var entry in read.Result)
            {
                if (!SharedWindow.TryParseField(entry.Name!, out var bucket, out _))
                {
                    continue;
                }

                if (window.IsExpired(bucket, now))
                {
                    stale.Add(entry.Name); // can never count again: dropped so the hash stays small
                }
                else
                {
                    perBucket[bucket] = perBucket.GetValueOrDefault(bucket) + (long)entry.Value;
                }
            }

            if (stale.Count > 0)
            {
                _ = database.HashDeleteAsync(window.CountsKey, [.. stale], CommandFlags.FireAndForget);
            }

            counts[window] = [.. perBucket.Select(p => (p.Key, p.Value))];
        }

        _clusterCounts = counts;
    }

    // Opened here while Redis was away (or restored from the outbox at start-up): already sent, so adopted, not re-sent.
    private async Task AdoptLocalIncidentsAsync(IDatabase database)
    {
        foreach (var incident in _local.ListOpenIncidents())
        {
            if ((long)await database.ScriptEvaluateAsync(OpenScript, IncidentKeys, [incident.DedupKey, Encode(incident)]) == 1)
            {
                RedisLog.IncidentAdopted(_logger, incident.DedupKey);
            }
        }
    }

    private async Task PullIncidentsAsync(IDatabase database)
    {
        var batch = database.CreateBatch();
        var open = batch.HashGetAllAsync(RedisKeys.Incidents);
        var quiet = batch.HashGetAllAsync(RedisKeys.IncidentsQuiet);
        batch.Execute();
        await Task.WhenAll(open, quiet);

        var quietByKey = quiet.Result.ToDictionary(e => (string)e.Name!, e => e.Value, StringComparer.Ordinal);
        var incidents = new List<OpenIncident>();
        foreach (var entry in open.Result)
        {
            var dedupKey = (string)entry.Name!;
            if (Decode(dedupKey, (string)entry.Value!, quietByKey.GetValueOrDefault(dedupKey)) is { } incident)
            {
                incidents.Add(incident);
            }
        }

        _local.ReplaceIncidents(incidents);
    }
}
