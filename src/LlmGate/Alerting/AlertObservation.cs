namespace LlmGate.Alerting;

/// <summary>One counted failure or hang, as the windows keep it. <see cref="Message"/> is already scrubbed and cut.</summary>
internal readonly record struct AlertObservation(
    DateTimeOffset Timestamp,
    string ModelGroup,
    string DeploymentId,
    string Provider,
    int Status,
    string ErrorType,
    string Message);
