using System.Globalization;
using System.Text;
using LlmGate.Alerting.PagerDuty;
using LlmGate.Configuration;
using LlmGate.Secrets;

namespace LlmGate.Alerting.Messages;

/// <summary>
/// Turns a notification into the <see cref="AlertMessage"/> people read: LiteLLM's wording and level, the counts
/// against the threshold, the top model groups, deployments and statuses, the latest errors (already scrubbed) and
/// the links configured (<c>PROXY_BASE_URL</c>, <c>llmgate_settings.alerting.runbook_urls</c>).
/// </summary>
internal sealed class AlertMessageBuilder(AlertingOptions options)
{
    public const int TopEntries = 5;
    public const int MaxRecentErrors = 5;
    private const int MaxErrorMessageLength = 300;

    public AlertMessage Build(AlertNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var message = notification switch
        {
            { Action: AlertAction.Resolve } => Resolved(notification),
            { Breach: { } breach } => Breached(notification, breach),
            { Notice: { } notice } => Noticed(notification, notice),
            _ => throw new ArgumentException("A trigger carries a breach or a notice.", nameof(notification)),
        };
        return message with { Links = Links(notification.Type) };
    }

    /// <summary>LiteLLM's level for a severity: <c>High</c>, <c>Medium</c> or <c>Low</c>.</summary>
    public static string LevelOf(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical or AlertSeverity.Error => "High",
        AlertSeverity.Warning => "Medium",
        _ => "Low",
    };

    /// <summary>"503 on gpt-4o / 3f9a1c0d (openai): upstream unavailable".</summary>
    public static string Describe(AlertObservation error)
    {
        var status = error.Status > 0 ? error.Status.ToString(CultureInfo.InvariantCulture) : error.ErrorType;
        return $"{status} on {error.ModelGroup} / {error.DeploymentId} ({error.Provider}): {SecretScrubber.Truncate(error.Message, MaxErrorMessageLength)}";
    }

    /// <summary>"2m 5s", "1h 3m", "0.5s".</summary>
    public static string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.FromMinutes(1))
        {
            return $"{PagerDutyEventBuilder.FormatSeconds(duration)}s";
        }

        return duration < TimeSpan.FromHours(1)
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes}m {duration.Seconds}s")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours}h {duration.Minutes}m");
    }

    private static AlertMessage Breached(AlertNotification notification, AlertBreach breach)
    {
        var rule = breach.Rule;
        var window = breach.Window;
        var group = breach.ScopedToModelGroup ? breach.Scope : null;
        List<AlertFact> facts =
        [
            new("Alert type", notification.Type),
            new("Scope", breach.Scope),
            new("Count", $"{window.Count} in the last {PagerDutyEventBuilder.FormatSeconds(rule.Window)} s (threshold {rule.Threshold})"),
        ];
        if (rule.Kind == AlertKind.Hang)
        {
            facts.Add(new("Hanging after", $"{PagerDutyEventBuilder.FormatSeconds(breach.HangingThreshold)} s without an answer"));
        }

        AddTop(facts, "Model groups", PagerDutyEventBuilder.Tally(window.Breakdown, k => k.ModelGroup));
        AddTop(facts, "Deployments", PagerDutyEventBuilder.Tally(window.Breakdown, k => k.DeploymentId));
        AddTop(facts, "Statuses", PagerDutyEventBuilder.Tally(window.Breakdown, k => k.Status.ToString(CultureInfo.InvariantCulture)));
        if (breach.Deployments?.Where(d => d.CoolingDownUntil is not null).Select(d => d.DeploymentId).ToList() is { Count: > 0 } cooling)
        {
            facts.Add(new("Cooling down", string.Join(", ", cooling.Take(TopEntries))));
        }

        return new AlertMessage
        {
            Title = group is null ? rule.SummaryTitle : $"{rule.SummaryTitle} ({group})",
            Resolved = false,
            Level = "High",
            Severity = AlertSeverity.Critical,
            Summary = PagerDutyEventBuilder.Summary(rule, window, group),
            AlertType = notification.Type,
            DedupKey = notification.DedupKey,
            At = notification.At,
            Facts = facts,
            RecentErrors = [.. window.RecentErrors.TakeLast(MaxRecentErrors).Select(Describe)],
            Labels = notification.Labels,
        };
    }

    private static AlertMessage Noticed(AlertNotification notification, AlertNotice notice) => new()
    {
        Title = notification.Title.Length > 0 ? notification.Title : notification.ClassName,
        Resolved = false,
        Level = LevelOf(notice.Severity),
        Severity = notice.Severity,
        Summary = notice.Summary,
        AlertType = notification.Type,
        DedupKey = notification.DedupKey,
        At = notification.At,
        Facts = [new("Alert type", notification.Type), .. notice.Facts],
        RecentErrors = [.. notice.RecentErrors.TakeLast(MaxRecentErrors).Select(Describe)],
        Budget = notice.Budget,
        Labels = notification.Labels,
    };

    private static AlertMessage Resolved(AlertNotification notification)
    {
        var title = notification.Title.Length > 0 ? notification.Title : notification.ClassName;
        var scope = AlertLabels.Get(notification.Labels, AlertLabels.Scope) is { Length: > 0 } s && s != AlertScopes.Gateway ? $" ({s})" : "";
        var lasted = notification.OpenedAt is { } opened ? notification.At - opened : (TimeSpan?)null;
        var summary = new StringBuilder().Append(title).Append(scope).Append(" is over");
        List<AlertFact> facts = [new("Alert type", notification.Type)];
        if (lasted is { } duration && duration >= TimeSpan.Zero)
        {
            summary.Append(": it lasted ").Append(Duration(duration));
            facts.Add(new("Opened", notification.OpenedAt!.Value.ToString("u", CultureInfo.InvariantCulture)));
        }

        if (notification.Notice is { } notice)
        {
            facts.AddRange(notice.Facts); // what the condition folded while open (a per-call condition's resolve)
        }

        return new AlertMessage
        {
            Title = $"Resolved: {title}{scope}",
            Resolved = true,
            Level = "Low",
            Severity = AlertSeverity.Info,
            Summary = summary.Append('.').ToString(),
            AlertType = notification.Type,
            DedupKey = notification.DedupKey,
            At = notification.At,
            Facts = facts,
            Labels = notification.Labels,
        };
    }

    private static void AddTop(List<AlertFact> facts, string name, List<KeyValuePair<string, int>> tally)
    {
        if (tally.Count == 0)
        {
            return;
        }

        var top = string.Join(", ", tally.Take(TopEntries).Select(p => $"{p.Key} ({p.Value})"));
        facts.Add(new(name, tally.Count > TopEntries ? top + ", …" : top));
    }

    private List<AlertLink> Links(string type)
    {
        var links = new List<AlertLink>(2);
        if (options.ProxyBaseUrl is { } baseUrl)
        {
            links.Add(new("Gateway status", new Uri(baseUrl, "alerting/status")));
        }

        if (options.RunbookUrls.TryGetValue(type, out var runbook))
        {
            links.Add(new("Runbook", runbook));
        }

        return links;
    }
}
