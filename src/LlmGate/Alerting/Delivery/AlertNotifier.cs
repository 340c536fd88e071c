using Microsoft.Extensions.Logging;

namespace LlmGate.Alerting.Delivery;

/// <summary>
/// Queues a notification for the channels it goes to: a trigger for those <see cref="AlertRoutes"/> picks (held back
/// from any a silence matches), a resolve for those its trigger went to. Each channel renders its own payload, and all
/// of them (with the incident's change) are written in one transaction. A channel that cannot render is left out, with
/// an error in the log, rather than keep the others from alerting.
/// </summary>
internal sealed class AlertNotifier(SqliteAlertOutbox outbox, AlertRoutes routes, IAlertSilencer silencer, ILogger<AlertNotifier> logger)
{
    /// <summary>Every notification to every channel, nothing silenced: for tests of delivery.</summary>
    public AlertNotifier(SqliteAlertOutbox outbox, IEnumerable<IAlertChannel> channels, ILogger<AlertNotifier> logger)
        : this(outbox, AlertRoutes.ToEvery(channels), NoSilences.Instance, logger)
    {
    }

    /// <summary>
    /// True once queued, and <paramref name="incident"/> (if given) recorded as open by a trigger or closed by a resolve;
    /// false when the write failed, so the caller decides again later.
    /// </summary>
    public bool TryEnqueue(AlertNotification notification, OpenIncident? incident = null)
    {
        ArgumentNullException.ThrowIfNull(notification);
        try
        {
            if (notification.Action == AlertAction.Trigger)
            {
                var notified = notification.Resolvable
                    ? new NotifiedAlert("", notification.Type, notification.Title, notification.Labels, notification.At)
                    : null;
                var payloads = Render(notification, routes.For(notification), silenced: true);
                outbox.Enqueue(notification.DedupKey, notification.Action, payloads, incident, notified);
            }
            else
            {
                outbox.Enqueue(notification.DedupKey, notification.Action, RenderResolves(notification), incident);
            }

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

    /// <summary>The alerts of <paramref name="type"/> still open in the outbox (<see cref="SqliteAlertOutbox.OpenAlerts"/>).</summary>
    public IReadOnlyList<(string DedupKey, NotifiedAlert Alert)> OpenAlerts(string type) => outbox.OpenAlerts(type);

    // A resolve goes where its trigger went, and says what the trigger said. One with no record (queued by a version
    // that kept none) goes to PagerDuty, where every alert went then.
    private List<ChannelPayload> RenderResolves(AlertNotification resolve)
    {
        var payloads = new List<ChannelPayload>();
        var notified = outbox.Notified(resolve.DedupKey);
        if (notified.Count == 0)
        {
            return Render(resolve, [.. routes.Channels.Where(c => c.Name == PagerDuty.PagerDutyChannel.ChannelName)], silenced: false);
        }

        foreach (var trigger in notified)
        {
            if (routes.Channel(trigger.Channel) is not { } channel)
            {
                continue; // no longer configured: nobody to tell
            }

            var enriched = resolve with
            {
                Type = trigger.Type,
                Title = trigger.Title,
                Labels = trigger.Labels,
                OpenedAt = trigger.OpenedAt,
            };
            payloads.AddRange(Render(enriched, [channel], silenced: false));
        }

        return payloads;
    }

    private List<ChannelPayload> Render(AlertNotification notification, IReadOnlyList<IAlertChannel> channels, bool silenced)
    {
        var payloads = new List<ChannelPayload>(channels.Count);
        foreach (var channel in channels)
        {
            try
            {
                var heldBy = silenced ? silencer.SilencedBy(notification, channel) : null;
                payloads.Add(new ChannelPayload(channel.Name, channel.Render(notification)) { HeldBy = heldBy, Labels = heldBy is null ? null : notification.Labels });
            }
#pragma warning disable CA1031 // one channel's rendering bug must not keep the notification from the others
            catch (Exception exception)
#pragma warning restore CA1031
            {
                AlertingLog.RenderFailed(logger, exception, channel.Name, notification.Action, notification.DedupKey);
            }
        }

        return payloads;
    }
}
