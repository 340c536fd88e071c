using System.Globalization;
using LlmGate.Redis;
using StackExchange.Redis;

namespace LlmGate.Keys;

/// <summary>
/// Rate limits shared by every replica through Redis: one script per call to count it in (requests this minute,
/// tokens this minute, calls in flight — checked and counted atomically), one fire-and-forget script when it ends.
/// When Redis cannot answer, the caller counts in this replica's memory instead: limits hold per replica meanwhile.
/// </summary>
internal sealed class SharedRateLimits(RedisConnection connection)
{
    // KEYS: requests this minute, tokens this minute, in flight. ARGV: rpm, tpm, parallel (-1: no limit).
    // Returns {refused limit (0 none, 1 requests, 2 tokens, 3 parallel), requests, tokens}.
    private const string AcquireScript = """
        local rpm = tonumber(ARGV[1]); local tpm = tonumber(ARGV[2]); local par = tonumber(ARGV[3])
        local req = tonumber(redis.call('GET', KEYS[1]) or '0')
        local tok = tonumber(redis.call('GET', KEYS[2]) or '0')
        if rpm >= 0 and req >= rpm then return {1, req, tok} end
        if tpm >= 0 and tok >= tpm then return {2, req, tok} end
        if par >= 0 then
          local p = tonumber(redis.call('GET', KEYS[3]) or '0')
          if p >= par then return {3, req, tok} end
          redis.call('INCR', KEYS[3]); redis.call('EXPIRE', KEYS[3], 900)
        end
        req = redis.call('INCR', KEYS[1]); redis.call('EXPIRE', KEYS[1], 120)
        return {0, req, tok}
        """;

    // KEYS as above. ARGV: tokens used, 1 when the call held an in-flight slot.
    private const string ReleaseScript = """
        if ARGV[2] == '1' then
          if redis.call('DECR', KEYS[3]) < 0 then redis.call('SET', KEYS[3], 0) end
        end
        local tokens = tonumber(ARGV[1])
        if tokens > 0 then redis.call('INCRBY', KEYS[2], tokens); redis.call('EXPIRE', KEYS[2], 120) end
        return 0
        """;

    /// <summary>
    /// Counts the call in, or names the limit it met; null when Redis cannot answer now (count in memory instead).
    /// </summary>
    public async Task<SharedRateResult?> TryAcquireAsync(CachedEntity entity, EntityLimits limits, long minute)
    {
        if (connection.Database is not { } database)
        {
            return null;
        }

        try
        {
            var result = (RedisResult[])(await database.ScriptEvaluateAsync(
                AcquireScript,
                Keys(entity, minute),
                [limits.RpmLimit ?? -1, limits.TpmLimit ?? -1, limits.MaxParallelRequests ?? -1]))!;
            var refused = (int)result[0] switch
            {
                1 => RateLimitKind.Requests,
                2 => RateLimitKind.Tokens,
                3 => RateLimitKind.ParallelRequests,
                _ => (RateLimitKind?)null,
            };
            var requests = (long)result[1];
            var tokens = (long)result[2];
            return new SharedRateResult(
                refused,
                limits.RpmLimit is { } rpm ? Math.Max(0, rpm - requests) : long.MaxValue,
                limits.TpmLimit is { } tpm ? Math.Max(0, tpm - tokens) : long.MaxValue);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or ObjectDisposedException)
        {
            return null;
        }
    }

    /// <summary>The call ended: its in-flight slot is freed and its tokens counted, without waiting for Redis.</summary>
    public void Release(CachedEntity entity, long minute, long tokens, bool heldSlot)
    {
        if (connection.Database is not { } database)
        {
            return;
        }

        try
        {
            _ = database.ScriptEvaluateAsync(ReleaseScript, Keys(entity, minute), [tokens, heldSlot ? 1 : 0], CommandFlags.FireAndForget);
        }
        catch (Exception exception) when (exception is RedisException or ObjectDisposedException)
        {
            // The slot's key expires on its own; a lost release costs at most a quarter of an hour of one slot.
        }
    }

    private static RedisKey[] Keys(CachedEntity entity, long minute)
    {
        // One hash tag per entity, so a cluster keeps its three keys on one node.
        var tag = $"{RedisKeys.Prefix}rate:{{{entity.Kind.ToString().ToLowerInvariant()}:{entity.Id}}}";
        var minuteText = minute.ToString(CultureInfo.InvariantCulture);
        return [$"{tag}:requests:{minuteText}", $"{tag}:tokens:{minuteText}", $"{tag}:in_flight"];
    }
}
