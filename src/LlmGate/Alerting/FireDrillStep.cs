namespace LlmGate.Alerting;

/// <summary>PagerDuty's answer to one event of a fire drill.</summary>
internal sealed record FireDrillStep(string Action, bool Success, int? StatusCode, string Body, string? Error);
