using System.Globalization;
using LlmGate.Redis;
using StackExchange.Redis;

namespace LlmGate.Keys;

/// <summary>
/// Budget reservations shared by every replica through Redis, so that concurrent calls through many gateways cannot
/// overspend a budget by more than one call's reservation either. Per key, team or user: the period's spend (seeded
/// from the store, raised by every settled call) and the reservations of calls in flight (each expiring on its own,
/// so a replica that dies mid-call cannot hold budget forever). One script reserves, one fire-and-forget script
/// settles. When Redis cannot answer, budgets hold per replica (in memory) meanwhile.
/// </summary>
internal sealed class SharedBudgets(RedisConnection connection, TimeProvider time)
{
    public static readonly TimeSpan ReservationLifetime = TimeSpan.FromMinutes(15);

    // KEYS: the period hash (period, spend), the reservations (sorted set: "call|amount" scored by expiry, ms).
    // ARGV: amount, max budget, spend this replica knows, period, now (ms), expiry (ms), member.
    // Returns {1 reserved / 0 refused, the spend checked against}.
    private const string ReserveScript = """
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[5])
        if redis.call('HGET', KEYS[1], 'period') ~= ARGV[4] then
          redis.call('HSET', KEYS[1], 'period', ARGV[4], 'spend', ARGV[3])
          redis.call('DEL', KEYS[2])
        end
        local spend = tonumber(redis.call('HGET', KEYS[1], 'spend'))
        local known = tonumber(ARGV[3])
        if known > spend then
          spend = known
          redis.call('HSET', KEYS[1], 'spend', ARGV[3])
        end
        local reserved = 0
        for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
          reserved = reserved + tonumber(string.match(member, '|([^|]+)$'))
        end
        local amount = tonumber(ARGV[1])
        local max = tonumber(ARGV[2])
        redis.call('EXPIRE', KEYS[1], 3024000)
        if spend >= max or spend + reserved + amount > max then
          return {0, tostring(spend)}
        end
        redis.call('ZADD', KEYS[2], ARGV[6], ARGV[7])
        redis.call('EXPIRE', KEYS[2], 3024000)
        return {1, tostring(spend)}
        """;

    // KEYS as above. ARGV: member, cost, period.
    private const string SettleScript = """
        redis.call('ZREM', KEYS[2], ARGV[1])
        if redis.call('HGET', KEYS[1], 'period') == ARGV[3] then
          redis.call('HINCRBYFLOAT', KEYS[1], 'spend', ARGV[2])
        end
        return 0
        """;

    /// <summary>
    /// Reserves <paramref name="amount"/> against the entity's budget across replicas: true/false with the shared spend,
    /// or null when Redis cannot answer now (the reservation this replica holds in memory stands alone).
    /// </summary>
    public async Task<(bool Reserved, double Spend)?> TryReserveAsync(CachedEntity entity, double maxBudget, double amount, string member)
    {
        if (connection.Database is not { } database)
        {
            return null;
        }

        var now = time.GetUtcNow();
        try
        {
            var result = (RedisResult[])(await database.ScriptEvaluateAsync(
                ReserveScript,
                Keys(entity),
                [
                    Number(amount), Number(maxBudget), Number(entity.Budget.Spend), Period(entity),
                    now.ToUnixTimeMilliseconds(), (now + ReservationLifetime).ToUnixTimeMilliseconds(), member,
                ]))!;
            return ((int)result[0] == 1, double.Parse((string)result[1]!, CultureInfo.InvariantCulture));
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or ObjectDisposedException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The call ended: its reservation goes and its cost counts, without waiting for Redis.</summary>
    public void Settle(CachedEntity entity, string member, double cost)
    {
        if (connection.Database is not { } database)
        {
            return; // the reservation expires on its own
        }

        try
        {
            _ = database.ScriptEvaluateAsync(SettleScript, Keys(entity), [member, Number(cost), Period(entity)], CommandFlags.FireAndForget);
        }
        catch (Exception exception) when (exception is RedisException or ObjectDisposedException)
        {
            // Lost: the reservation expires on its own, and the store's spend reseeds the counter next period.
        }
    }

    /// <summary>A member naming one call's reservation and its amount.</summary>
    public static string Member(string callId, double amount) => callId + "|" + Number(amount);

    private static string Period(CachedEntity entity) =>
        entity.Budget.ResetAt is { } reset ? reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) : "none";

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static RedisKey[] Keys(CachedEntity entity)
    {
        var tag = $"{RedisKeys.Prefix}budget:{{{entity.Kind.ToString().ToLowerInvariant()}:{entity.Id}}}";
        return [tag, tag + ":reserved"];
    }
}
