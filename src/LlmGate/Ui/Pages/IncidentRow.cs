namespace LlmGate.Ui.Pages;

/// <summary>An open incident: its dedup key, alert type, scope, when it opened and when it went quiet (null: still breaching).</summary>
public sealed record IncidentRow(string DedupKey, string AlertType, string Scope, DateTimeOffset Since, DateTimeOffset? QuietSince);
