using LlmGate.Alerting.Delivery;
using LlmGate.Configuration;
using LlmGate.Redis;

namespace LlmGate.Alerting;

/// <summary>
/// Tells on-call, once, that this gateway fell back to local state: a <c>warning</c> notice after Redis has been
/// unreachable for <see cref="Grace"/> (a blip pages nobody), resolved when Redis answers again. Every replica that
/// lost the same Redis uses the same dedup key, so each channel shows one alert however many replicas report it.
/// </summary>
internal sealed class SharedStateLostNotice(RedisConnection connection, AlertNotifier notifier, TimeProvider time) : IRedisSyncObserver
{
    public const string ClassName = "llmgate_shared_state_lost";
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    private readonly string _dedupKey = DedupKeys.ForSharedStateLost(connection.Endpoint);
    private bool _reported;

    /// <summary>Called by the sync loop after each round trip, on its one thread. A failed write is tried again on the next.</summary>
    public void OnSyncRound()
    {
        var since = connection.UnavailableSince;
        var now = time.GetUtcNow();
        if (connection.IsShared || since is null)
        {
            if (_reported && notifier.TryEnqueue(AlertNotification.Resolved(_dedupKey, ClassName, now)))
            {
                _reported = false;
            }

            return;
        }

        if (!_reported && now - since.Value >= Grace)
        {
            var summary = $"LlmGate lost its shared state: Redis at {connection.Endpoint} unreachable since {since.Value:u}; "
                + "failure and hang windows, incidents and cooldowns are per replica until it returns.";
            _reported = notifier.TryEnqueue(AlertNotification.Noticed(
                _dedupKey, AlertTypeNames.SharedStateLost, ClassName, "Shared alert state lost", new AlertNotice(summary, AlertSeverity.Warning), now));
        }
    }
}
