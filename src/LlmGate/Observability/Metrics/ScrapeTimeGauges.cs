using LlmGate.Alerting;
using LlmGate.Health;
using LlmGate.Keys;

namespace LlmGate.Observability.Metrics;

/// <summary>
/// The gauges read from state rather than counted on the request path, refreshed when Prometheus scrapes: the pager's
/// own state (so an alert rule can watch it), key and team budgets, and the deployments' health checks.
/// </summary>
internal sealed class ScrapeTimeGauges(
    LiteLlmMetrics metrics,
    SeriesCache series,
    TimeProvider time,
    AlertingStatusReporter? alerting = null,
    KeyDirectory? keys = null,
    IModelHealthResults? health = null)
{
    public void Refresh()
    {
        if (alerting is not null)
        {
            RefreshAlerting(alerting.Snapshot());
        }

        if (keys is not null)
        {
            RefreshBudgets(keys);
        }

        if (health is not null)
        {
            foreach (var result in health.Latest)
            {
                if (series.Deployment(result.DeploymentId) is { } deployment)
                {
                    metrics.DeploymentHealthy.WithLabels([result.ModelGroup, .. deployment.Labels]).Set(result.Healthy ? 1 : 0);
                }
            }
        }
    }

    private void RefreshAlerting(AlertingStatus status)
    {
        var openByClass = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var window in status.Windows ?? [])
        {
            metrics.AlertWindowCalls.WithLabels(window.Class, window.Scope).Set(window.Count);
            metrics.AlertWindowThreshold.WithLabels(window.Class, window.Scope).Set(window.Threshold);
            openByClass.TryAdd(window.Class, 0);
        }

        foreach (var incident in status.OpenIncidents ?? [])
        {
            openByClass[incident.Class] = openByClass.GetValueOrDefault(incident.Class) + 1;
        }

        foreach (var (alertClass, open) in openByClass)
        {
            metrics.AlertOpenIncidents.WithLabels(alertClass).Set(open);
        }

        var now = time.GetUtcNow();
        foreach (var channel in status.Channels ?? [])
        {
            metrics.AlertOutboxDepth.WithLabels(channel.Name).Set(channel.OutboxDepth);
            metrics.AlertOutboxOldestAge.WithLabels(channel.Name).Set(channel.OldestQueuedAt is { } oldest ? Math.Max(0, (now - oldest).TotalSeconds) : 0);
            metrics.AlertConsecutiveFailures.WithLabels(channel.Name).Set(channel.ConsecutiveFailures);
            if (channel.LastDelivered is { } delivered)
            {
                metrics.AlertLastDelivery.WithLabels(channel.Name).Set(delivered.At.ToUnixTimeMilliseconds() / 1000.0);
            }
        }

        foreach (var ((channel, statusCode, delivered), count) in status.DeliveryAttempts ?? [])
        {
            metrics.AlertDeliveryAttempts
                .WithLabels(channel, statusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "error", delivered ? "true" : "false")
                .IncTo(count);
        }
    }

    private void RefreshBudgets(KeyDirectory directory)
    {
        foreach (var key in directory.LoadedKeys())
        {
            if (key.Policy.Limits.MaxBudget is { } max)
            {
                var record = key.Record;
                string[] labels = [record.Token, record.KeyAlias ?? MetricLabels.None];
                metrics.KeyMaxBudget.WithLabels(labels).Set(max);
                metrics.RemainingKeyBudget.WithLabels(labels).Set(max - key.Budget.Spend);
            }
        }

        foreach (var team in directory.LoadedTeams())
        {
            if (team.Policy.Limits.MaxBudget is { } max)
            {
                string[] labels = [team.Id, team.Policy.Alias ?? MetricLabels.None];
                metrics.TeamMaxBudget.WithLabels(labels).Set(max);
                metrics.RemainingTeamBudget.WithLabels(labels).Set(max - team.Budget.Spend);
            }
        }
    }
}
