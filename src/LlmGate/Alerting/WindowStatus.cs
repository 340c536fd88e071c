namespace LlmGate.Alerting;

/// <summary>One window on the status page: its count now against its threshold.</summary>
internal sealed record WindowStatus(string Class, string Scope, int Count, int Threshold, decimal WindowSeconds);
