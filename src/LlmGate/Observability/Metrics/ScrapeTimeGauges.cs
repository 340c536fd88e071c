using LlmGate.Alerting;
using LlmGate.Health;
using LlmGate.Keys;

namespace LlmGate.Observability.Metrics;

/// <summary>
/// The gauges read from state rather than counted on the request path, refreshed when Prometheus scrapes: the pager's
/// own state (so an alert rule can watch it), key, team and user budgets, and the deployments' health checks. Series
/// of what is gone (a deleted key, a deployment no longer checked) are removed at the next scrape.
/// </summary>
internal sealed class ScrapeTimeGauges(
    LiteLlmMetrics metrics,
    SeriesCache series,
    TimeProvider time,
    AlertingStatusReporter? alerting = null,
    KeyDirectory? keys = null,
    IModelHealthResults? health = null)
{
    private readonly Lock _gate = new();
    private readonly ScrapedGauge _keyMax = new(metrics.KeyMaxBudget);
    private readonly ScrapedGauge _keyRemaining = new(metrics.RemainingKeyBudget);
    private readonly ScrapedGauge _keyHours = new(metrics.KeyBudgetRemainingHours);
    private readonly ScrapedGauge _teamMax = new(metrics.TeamMaxBudget);
    private readonly ScrapedGauge _teamRemaining = new(metrics.RemainingTeamBudget);
    private readonly ScrapedGauge _teamHours = new(metrics.TeamBudgetRemainingHours);
    private readonly ScrapedGauge _userMax = new(metrics.UserMaxBudget);
    private readonly ScrapedGauge _userRemaining = new(metrics.RemainingUserBudget);
    private readonly ScrapedGauge _userHours = new(metrics.UserBudgetRemainingHours);
    private readonly ScrapedGauge _healthy = new(metrics.DeploymentHealthy);

    /// <summary>Sets every gauge from state now; two scrapes at once take turns.</summary>
    public void Refresh()
    {
        lock (_gate)
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
                        _healthy.Set([result.ModelGroup, .. deployment.Labels], result.Healthy ? 1 : 0);
                    }
                }

                _healthy.Sweep();
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
        var now = time.GetUtcNow();
        foreach (var key in directory.LoadedKeys())
        {
            var record = key.Record;
            Budget(key, [record.Token, record.KeyAlias ?? MetricLabels.None], _keyMax, _keyRemaining, _keyHours, now);
        }

        foreach (var team in directory.LoadedTeams())
        {
            Budget(team, [team.Id, team.Policy.Alias ?? MetricLabels.None], _teamMax, _teamRemaining, _teamHours, now);
        }

        foreach (var user in directory.LoadedUsers())
        {
            Budget(user, [user.Id], _userMax, _userRemaining, _userHours, now);
        }

        foreach (var gauge in (ScrapedGauge[])[_keyMax, _keyRemaining, _keyHours, _teamMax, _teamRemaining, _teamHours, _userMax, _userRemaining, _userHours])
        {
            gauge.Sweep();
        }
    }

    // Only what has a max_budget, as LiteLLM; the hours only when the budget resets (budget_duration).
    private static void Budget(CachedEntity entity, string[] labels, ScrapedGauge max, ScrapedGauge remaining, ScrapedGauge hours, DateTimeOffset now)
    {
        if (entity.Policy.Limits.MaxBudget is not { } maxBudget)
        {
            return;
        }

        max.Set(labels, maxBudget);
        remaining.Set(labels, maxBudget - entity.Budget.Spend);
        if (entity.Budget.ResetAt is { } resetAt)
        {
            hours.Set(labels, Math.Max(0, (resetAt - now).TotalHours));
        }
    }
}
