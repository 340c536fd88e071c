using LlmGate.Alerting.Delivery;
using LlmGate.Alerting.PagerDuty;
using LlmGate.Alerting.Silences;
using LlmGate.Configuration;
using LlmGate.Routing;

namespace LlmGate.Alerting;

/// <summary>Builds the <see cref="AlertingStatus"/> snapshot from the windows, incidents, outbox lanes and deliveries.</summary>
internal sealed class AlertingStatusReporter(
    AlertingOptions options,
    AlertScopes scopes,
    IAlertStateStore store,
    InFlightRegistry registry,
    SqliteAlertOutbox outbox,
    DeliveryLog deliveryLog,
    IEnumerable<IAlertChannel> channels,
    TimeProvider time,
    IDeploymentHealth? deploymentHealth = null,
    SilenceStore? silences = null)
{
    private volatile AlertingOptions _options = options;
    private volatile IReadOnlyList<AlertRule> _rules = AlertRule.From(options);
    private readonly string[] _channels = [.. channels.Select(c => c.Name)];

    public AlertingStatus Snapshot()
    {
        var now = time.GetUtcNow();
        var windows = new List<WindowStatus>();
        foreach (var rule in _rules)
        {
            foreach (var scope in scopes.All)
            {
                windows.Add(new WindowStatus(rule.ClassName, scope, store.Count(rule.Kind, scope, now), rule.Threshold, PagerDutyEventBuilder.Seconds(rule.Window)));
            }
        }

        var incidents = store.ListOpenIncidents()
            .Select(i => new IncidentStatus(i.DedupKey, ClassOf(i.Kind), i.Scope, i.OpenedAt, i.QuietSince))
            .ToList();

        var backlogs = outbox.Backlogs();
        return new AlertingStatus
        {
            Enabled = true,
            HangingThresholdSeconds = PagerDutyEventBuilder.Seconds(_options.HangingThreshold),
            InFlight = registry.Count,
            State = store.Describe(),
            Windows = windows,
            OpenIncidents = incidents,
            OutboxDepth = backlogs.Sum(b => b.Pending),
            LastDelivery = deliveryLog.Last,
            Channels = ChannelStatuses(backlogs),
            DeliveryAttempts = deliveryLog.Attempts(),
            Deployments = deploymentHealth?.Snapshot(now),
            Silences = silences?.Current.Select(s => SilenceStatus.Of(s, now)).ToList(),
            Held = outbox.HeldCounts(),
        };
    }

    /// <summary>A reloaded config's thresholds, shown from now on.</summary>
    public void Reconfigure(AlertingOptions reloaded)
    {
        ArgumentNullException.ThrowIfNull(reloaded);
        _rules = AlertRule.From(reloaded);
        _options = reloaded;
    }

    private string ClassOf(AlertKind kind) => _rules.First(r => r.Kind == kind).ClassName;

    // The configured channels, and any lane still holding rows for a channel no longer configured.
    private List<ChannelStatus> ChannelStatuses(IReadOnlyList<ChannelBacklog> backlogs) =>
        [.. _channels.Union(backlogs.Select(b => b.Channel), StringComparer.Ordinal).Select(name =>
        {
            var backlog = backlogs.FirstOrDefault(b => b.Channel == name);
            return deliveryLog.For(name) with { OutboxDepth = backlog?.Pending ?? 0, OldestQueuedAt = backlog?.OldestQueuedAt };
        })];
}
