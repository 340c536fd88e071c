namespace LlmGate.Alerting.Messages;

/// <summary>A link shown with an alert: the gateway's status page or the alert type's runbook.</summary>
internal sealed record AlertLink(string Text, Uri Url);
