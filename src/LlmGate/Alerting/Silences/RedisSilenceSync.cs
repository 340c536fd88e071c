using System.Globalization;
using LlmGate.Redis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LlmGate.Alerting.Silences;

/// <summary>
/// Shares silences between replicas through Redis, on the Redis sync loop (off the notifier's path): pushes this
/// replica's changes (every silence it knows when it rejoins after an outage, so a Redis that lost its data gets them
/// back), then reads the whole hash and merges what is newer. A push never replaces a newer copy (a script compares the
/// versions), and silences past retention are deleted from Redis too.
/// </summary>
internal sealed class RedisSilenceSync(SilenceStore store, TimeProvider time, ILogger<RedisSilenceSync> logger) : IRedisParticipant
{
    /// <summary>Hash: silence id → its JSON (Alertmanager's shape, without status).</summary>
    public const string SilencesKey = RedisKeys.Prefix + "alerts:silences";

    /// <summary>Hash: silence id → its <c>updatedAt</c> in Unix milliseconds, what the put script compares.</summary>
    public const string VersionsKey = RedisKeys.Prefix + "alerts:silences:updated";

    // Writes unless Redis holds a newer version of the same silence.
    private const string PutScript = """
        local known = redis.call('HGET', KEYS[2], ARGV[1])
        if known and tonumber(known) > tonumber(ARGV[3]) then
          return 0
        end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
        return 1
        """;

    private static readonly RedisKey[] Keys = [SilencesKey, VersionsKey];

    public async Task SyncAsync(IDatabase database, bool rejoining, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var now = time.GetUtcNow();
        var push = rejoining ? store.Current : store.Unshared();
        foreach (var silence in push)
        {
            if (silence.PastRetention(now))
            {
                continue;
            }

            await database.ScriptEvaluateAsync(PutScript, Keys,
                [silence.Id, SilenceStore.Write(silence), silence.UpdatedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)]);
            store.MarkShared(silence);
        }

        foreach (var entry in await database.HashGetAllAsync(SilencesKey))
        {
            if (SilenceStore.Read(entry.Value.ToString()) is not { } silence)
            {
                SilenceLog.Unreadable(logger, "Redis " + SilencesKey);
                continue;
            }

            if (silence.PastRetention(now))
            {
                await database.HashDeleteAsync(SilencesKey, entry.Name);
                await database.HashDeleteAsync(VersionsKey, entry.Name);
                continue;
            }

            store.Merge(silence);
        }
    }
}
