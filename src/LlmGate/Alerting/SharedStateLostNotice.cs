using LlmGate.Alerting.Delivery;
using LlmGate.Alerting.PagerDuty;
using LlmGate.Configuration;
using LlmGate.Redis;
using Microsoft.Extensions.Logging;

namespace LlmGate.Alerting;

/// <summary>
/// Tells on-call, once, that this gateway fell back to local state: a <c>warning</c> trigger after Redis has been
/// unreachable for <see cref="Grace"/> (a blip pages nobody), resolved when Redis answers again. Every replica that
/// lost the same Redis uses the same dedup key, so PagerDuty shows one alert however many replicas report it.
/// </summary>
internal sealed class SharedStateLostNotice(
    RedisConnection connection,
    SqliteAlertOutbox outbox,
    AlertingOptions options,
    TimeProvider time,
    ILogger<SharedStateLostNotice> logger)
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    private readonly string _dedupKey = DedupKeys.ForSharedStateLost(connection.Endpoint);
    private bool _reported;

    /// <summary>Called by the sync loop after each round trip, on its one thread.</summary>
    public void Observe()
    {
        var since = connection.UnavailableSince;
        if (connection.IsShared || since is null)
        {
            if (_reported && TryEnqueue(PagerDutyEventBuilder.Resolve(_dedupKey)))
            {
                _reported = false;
            }

            return;
        }

        var now = time.GetUtcNow();
        if (!_reported && now - since.Value >= Grace)
        {
            var summary = $"LlmGate lost its shared state: Redis at {connection.Endpoint} unreachable since {since.Value:u}; "
                + "failure and hang windows, incidents and cooldowns are per replica until it returns.";
            _reported = TryEnqueue(PagerDutyEventBuilder.NoticeTrigger(_dedupKey, summary, "llmgate_shared_state_lost", options.PagerDuty!.Source, "warning", now));
        }
    }

    private bool TryEnqueue(PagerDutyEvent notice)
    {
        try
        {
            outbox.Enqueue(notice);
            return true;
        }
#pragma warning disable CA1031 // a failed write leaves the notice unsent; the next round trip tries again
        catch (Exception exception)
#pragma warning restore CA1031
        {
            AlertingLog.EnqueueFailed(logger, exception, notice.Action, notice.DedupKey);
            return false;
        }
    }
}
