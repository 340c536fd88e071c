namespace LlmGate.Alerting;

/// <summary>
/// A condition or report to tell on-call about: one sentence, how serious it is, and what backs it up (facts, recent
/// errors, a budget's numbers for LiteLLM's webhook event). Everything in it is already scrubbed of secrets and prompts.
/// </summary>
internal sealed record AlertNotice(string Summary, AlertSeverity Severity)
{
    /// <summary>Name and value pairs shown under the summary ("Deployment", "Failures in 60 s").</summary>
    public IReadOnlyList<AlertFact> Facts { get; init; } = [];

    /// <summary>The latest errors behind it, newest last, messages scrubbed and cut.</summary>
    public IReadOnlyList<AlertObservation> RecentErrors { get; init; } = [];

    /// <summary>For <c>budget_alerts</c>: the numbers LiteLLM's <c>WebhookEvent</c> carries.</summary>
    public BudgetEvent? Budget { get; init; }
}
