namespace LlmGate.Alerting.Silences;

/// <summary>Alertmanager's <c>status</c> object: <c>{"state":"active|pending|expired"}</c>.</summary>
internal sealed record SilenceStatusDocument(string State);
