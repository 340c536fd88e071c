using LlmGate.Alerting.Delivery;

namespace LlmGate.Alerting.Silences;

/// <summary>
/// What the notifier asks for every trigger and channel: the id of an active silence matching the alert's labels and
/// the channel's kind. Reads the store's in-memory snapshot: no I/O on the notifier's path.
/// </summary>
internal sealed class SilenceGate(SilenceStore store, TimeProvider time) : IAlertSilencer
{
    public string? SilencedBy(AlertNotification notification, IAlertChannel channel)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(channel);
        return store.Matching(notification.Labels, channel.Kind, time.GetUtcNow())?.Id;
    }
}
