namespace LlmGate.Redis;

/// <summary>Told after each round of the sync loop, on its one thread, whether Redis answered or not (e.g. to report a long outage).</summary>
internal interface IRedisSyncObserver
{
    /// <summary>Read <see cref="RedisConnection.IsShared"/> and <see cref="RedisConnection.UnavailableSince"/> for the state now.</summary>
    void OnSyncRound();
}
