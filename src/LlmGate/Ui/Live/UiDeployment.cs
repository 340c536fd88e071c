namespace LlmGate.Ui.Live;

/// <summary>
/// A configured deployment: <c>Health</c> is <c>healthy</c>, <c>unhealthy</c> (a failed attempt in the last minute)
/// or <c>cooling</c> (the router skips it until <c>CoolingDownUntil</c>). Errors are a status and a kind, never a message.
/// </summary>
public sealed record UiDeployment(
    string Id,
    string ModelGroup,
    string Provider,
    string Health,
    DateTimeOffset? CoolingDownUntil,
    double? P50LatencyMs,
    long Calls,
    long FailedAttempts,
    IReadOnlyList<UiStatusCount> FailuresByStatus,
    int? Rpm,
    int? Tpm,
    long RequestsLastMinute,
    long TokensLastMinute,
    IReadOnlyList<UiError> RecentErrors);
