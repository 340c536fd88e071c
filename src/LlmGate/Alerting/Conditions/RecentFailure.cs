namespace LlmGate.Alerting.Conditions;

/// <summary>
/// A failure as the request path keeps it: references only, no scrubbing there. The background loop scrubs and cuts
/// <see cref="Message"/> (<see cref="ConditionTracker"/>) before it goes anywhere.
/// </summary>
internal readonly record struct RecentFailure(DateTimeOffset At, string ModelGroup, string Deployment, string Provider, int Status, string ErrorType, string Message);
