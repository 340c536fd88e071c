using Microsoft.Extensions.Logging;

namespace LlmGate.Alerting.Delivery;

/// <summary>
/// Queues a notification for every channel: each renders its own payload, and all of them (with the incident's change)
/// are written in one transaction. A channel that cannot render is left out, with an error in the log, rather than keep
/// the others from alerting.
/// </summary>
internal sealed class AlertNotifier(SqliteAlertOutbox outbox, IEnumerable<IAlertChannel> channels, ILogger<AlertNotifier> logger)
{
    private readonly IAlertChannel[] _channels = [.. channels];

    /// <summary>
    /// True once queued, and <paramref name="incident"/> (if given) recorded as open by a trigger or closed by a resolve;
    /// false when the write failed, so the caller decides again later.
    /// </summary>
    public bool TryEnqueue(AlertNotification notification, OpenIncident? incident = null)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var payloads = new List<ChannelPayload>(_channels.Length);
        foreach (var channel in _channels)
        {
            try
            {
                payloads.Add(new ChannelPayload(channel.Name, channel.Render(notification)));
            }
#pragma warning disable CA1031 // one channel's rendering bug must not keep the notification from the others
            catch (Exception exception)
#pragma warning restore CA1031
            {
                AlertingLog.RenderFailed(logger, exception, channel.Name, notification.Action, notification.DedupKey);
            }
        }

        try
        {
            outbox.Enqueue(notification.DedupKey, notification.Action, payloads, incident);
            return true;
        }
#pragma warning disable CA1031 // a failed write must leave the decision to be made again, whatever the cause
        catch (Exception exception)
#pragma warning restore CA1031
        {
            AlertingLog.EnqueueFailed(logger, exception, notification.Action, notification.DedupKey);
            return false;
        }
    }
}
