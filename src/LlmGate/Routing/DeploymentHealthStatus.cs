namespace LlmGate.Routing;

/// <summary>One deployment's health as <c>/alerting/status</c> and alert details show it.</summary>
internal sealed record DeploymentHealthStatus(
    string DeploymentId,
    string? ModelGroup,
    long FailedAttempts,
    int? LastStatus,
    DateTimeOffset? LastFailureAt,
    DateTimeOffset? CoolingDownUntil);
