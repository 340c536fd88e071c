namespace LlmGate.Alerting;

/// <summary>
/// An incident LlmGate has triggered and not yet resolved. <see cref="QuietSince"/> is when its count first dropped
/// below the threshold (null while it breaches); a full window of quiet resolves it.
/// </summary>
internal sealed record OpenIncident(string DedupKey, AlertKind Kind, string Scope, DateTimeOffset OpenedAt, DateTimeOffset? QuietSince);
