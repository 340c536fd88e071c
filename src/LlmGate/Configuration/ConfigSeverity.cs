namespace LlmGate.Configuration;

internal enum ConfigSeverity
{
    Warning,
    Error,
}
