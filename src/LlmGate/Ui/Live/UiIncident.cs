namespace LlmGate.Ui.Live;

/// <summary>An open incident.</summary>
public sealed record UiIncident(string DedupKey, string Class, string Scope, DateTimeOffset Since, DateTimeOffset? QuietSince);
