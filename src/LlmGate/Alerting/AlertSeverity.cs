namespace LlmGate.Alerting;

/// <summary>How serious a notice about the gateway itself is; each channel shows it in its own way.</summary>
internal enum AlertSeverity
{
    Critical,
    Error,
    Warning,
    Info,
}
