namespace LlmGate.Alerting;

/// <summary>An open incident on the status page.</summary>
internal sealed record IncidentStatus(string DedupKey, string Class, string Scope, DateTimeOffset Since, DateTimeOffset? QuietSince);
