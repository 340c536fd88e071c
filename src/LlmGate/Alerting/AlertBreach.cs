using LlmGate.Routing;

namespace LlmGate.Alerting;

/// <summary>
/// A rule's window as it reached the threshold: the counts, breakdown and recent errors (already scrubbed), what they
/// are measured against, and the router's view of the deployments. What a channel tells on-call about a breach.
/// </summary>
/// <param name="ScopedToModelGroup">True when <paramref name="Scope"/> is a model group, false for the whole gateway.</param>
/// <param name="HangingThreshold">How long a request waited to count as hanging (for hang rules).</param>
internal sealed record AlertBreach(
    AlertRule Rule,
    string Scope,
    bool ScopedToModelGroup,
    WindowSnapshot Window,
    TimeSpan HangingThreshold,
    IReadOnlyList<DeploymentHealthStatus>? Deployments);
