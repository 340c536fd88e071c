using StackExchange.Redis;

namespace LlmGate.Redis;

/// <summary>A piece of state kept in step with Redis by <see cref="RedisSyncService"/>, off the request path.</summary>
internal interface IRedisParticipant
{
    /// <summary>
    /// Pushes what this replica buffered and pulls what the cluster shares. <paramref name="rejoining"/> is true on the
    /// first successful round trip after start-up or an outage: local decisions made meanwhile are adopted then.
    /// An exception marks Redis unavailable; nothing buffered may be lost by it.
    /// </summary>
    Task SyncAsync(IDatabase database, bool rejoining, CancellationToken cancellationToken);
}
