using LlmGate.Configuration;

namespace LlmGate.Alerting;

/// <summary>
/// What detection decided, for every channel it is routed to to render in its own format: a rule's window breached
/// (<see cref="Breach"/>), a condition or report (<see cref="Notice"/>), or the alert with this dedup key is over (a
/// resolve: the notifier fills its <see cref="Type"/>, <see cref="Title"/>, <see cref="Labels"/> and
/// <see cref="OpenedAt"/> from the trigger it closes). Holds no channel's format, limit or secret.
/// </summary>
/// <param name="DedupKey">The same on every replica and retry for the same problem, so channels can collapse duplicates.</param>
/// <param name="ClassName">The rule's class (<c>llm_api_failure</c>, <c>llm_request_hanging</c>) or the notice's.</param>
/// <param name="At">When detection decided.</param>
internal sealed record AlertNotification(AlertAction Action, string DedupKey, string ClassName, DateTimeOffset At)
{
    /// <summary>The alert type it is routed and silenced by (<see cref="AlertTypeNames"/>).</summary>
    public string Type { get; init; } = "";

    /// <summary>What it is about, in a few words ("High LLM API Failure Rate", "Minor service outage").</summary>
    public string Title { get; init; } = "";

    /// <summary>What silences match on (<see cref="AlertLabels"/>), besides the channel.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = AlertLabels.None;

    /// <summary>False for a report (daily, digest): nothing to resolve later, and nothing to send once a silence ends.</summary>
    public bool Resolvable { get; init; } = true;

    /// <summary>On a resolve: when the trigger it closes went out.</summary>
    public DateTimeOffset? OpenedAt { get; init; }

    public AlertBreach? Breach { get; init; }

    public AlertNotice? Notice { get; init; }

    public static AlertNotification Triggered(string dedupKey, AlertBreach breach, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(breach);
        var type = breach.Rule.Kind == AlertKind.Hang ? AlertTypeNames.LlmRequestsHanging : AlertTypeNames.LlmApiFailure;
        return new(AlertAction.Trigger, dedupKey, breach.Rule.ClassName, at)
        {
            Type = type,
            Title = breach.Rule.SummaryTitle,
            Labels = AlertLabels.Of(type, breach.Rule.ClassName, breach.Scope, modelGroup: breach.ScopedToModelGroup ? breach.Scope : null),
            Breach = breach,
        };
    }

    /// <summary>A condition or report: <paramref name="labels"/> default to the type, class and severity alone.</summary>
    public static AlertNotification Noticed(
        string dedupKey, string type, string className, string title, AlertNotice notice, DateTimeOffset at, IReadOnlyDictionary<string, string>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return new(AlertAction.Trigger, dedupKey, className, at)
        {
            Type = type,
            Title = title,
            Labels = labels ?? AlertLabels.Of(type, className, AlertScopes.Gateway, severity: notice.Severity),
            Notice = notice,
        };
    }

    public static AlertNotification Resolved(string dedupKey, string className, DateTimeOffset at) =>
        new(AlertAction.Resolve, dedupKey, className, at);
}
