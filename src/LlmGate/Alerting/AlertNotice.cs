namespace LlmGate.Alerting;

/// <summary>What the gateway reports about itself (shared state lost): one sentence, and how serious it is.</summary>
internal sealed record AlertNotice(string Summary, AlertSeverity Severity);
