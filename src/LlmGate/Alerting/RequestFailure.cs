namespace LlmGate.Alerting;

/// <summary>
/// Why a request failed, as shown to the client. <see cref="Message"/> must already be free of secrets and prompt text;
/// alerting cuts it short before it leaves the process.
/// </summary>
internal sealed record RequestFailure(int Status, string ErrorType, string Message, FailureKind Kind);
