using LlmGate.Redis;
using StackExchange.Redis;

namespace LlmGate.Alerting.Conditions;

/// <summary>
/// Claims in Redis: <c>SET llmgate:alerts:condition:&lt;dedup&gt; &lt;replica id&gt; NX PX &lt;quiet&gt;</c> opens, a
/// <c>PEXPIRE</c> by any replica that still sees the condition keeps it open, and the claim lapsing closes it. Never
/// on the request path; a Redis error answers null (local behaviour) and marks shared state lost.
/// </summary>
internal sealed class RedisConditionClaims(RedisConnection redis) : IConditionClaims
{
    public const string KeyPrefix = RedisKeys.Prefix + "alerts:condition:";

    public bool? Claim(string key, TimeSpan quiet) => Shared(database =>
    {
        var redisKey = (RedisKey)(KeyPrefix + key);
        if (database.StringSet(redisKey, redis.ReplicaId, quiet, When.NotExists))
        {
            return true;
        }

        var owner = database.StringGet(redisKey);
        database.KeyExpire(redisKey, quiet);
        return owner.IsNull || owner == redis.ReplicaId;
    });

    public TimeSpan? Remaining(string key)
    {
        var left = Shared(database => database.KeyTimeToLive(KeyPrefix + key) ?? TimeSpan.Zero);
        return left;
    }

    private T? Shared<T>(Func<IDatabase, T> operation)
        where T : struct
    {
        if (!redis.IsShared || redis.Database is not { } database)
        {
            return null;
        }

        try
        {
            return operation(database);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            redis.ReportFailure(exception);
            return null;
        }
    }
}
