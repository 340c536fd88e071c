namespace LlmGate.Alerting;

/// <summary>
/// What detection decided, for every channel to render in its own format: a rule's window breached
/// (<see cref="Breach"/>), the gateway reports on itself (<see cref="Notice"/>), or the alert with this dedup key is
/// over (a resolve, which carries neither). Holds no channel's format, limit, routing or secret.
/// </summary>
/// <param name="DedupKey">The same on every replica and retry for the same problem, so channels can collapse duplicates.</param>
/// <param name="ClassName">The rule's class (<c>llm_api_failure</c>, <c>llm_request_hanging</c>) or the notice's.</param>
/// <param name="At">When detection decided.</param>
internal sealed record AlertNotification(AlertAction Action, string DedupKey, string ClassName, DateTimeOffset At)
{
    public AlertBreach? Breach { get; init; }

    public AlertNotice? Notice { get; init; }

    public static AlertNotification Triggered(string dedupKey, AlertBreach breach, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(breach);
        return new(AlertAction.Trigger, dedupKey, breach.Rule.ClassName, at) { Breach = breach };
    }

    public static AlertNotification Noticed(string dedupKey, string className, AlertNotice notice, DateTimeOffset at) =>
        new(AlertAction.Trigger, dedupKey, className, at) { Notice = notice };

    public static AlertNotification Resolved(string dedupKey, string className, DateTimeOffset at) =>
        new(AlertAction.Resolve, dedupKey, className, at);
}
