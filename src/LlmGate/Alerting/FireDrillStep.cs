namespace LlmGate.Alerting;

/// <summary>A channel's answer to one message of a fire drill: its status (HTTP or SMTP; null when none came) and what it said, scrubbed.</summary>
internal sealed record FireDrillStep(string Action, bool Success, int? StatusCode, string Description);
