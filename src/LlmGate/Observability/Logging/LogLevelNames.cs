using Microsoft.Extensions.Logging;

namespace LlmGate.Observability.Logging;

/// <summary>The level names of LiteLLM's JSON logs (Python's level names), TRACE for what Python has no name for.</summary>
internal static class LogLevelNames
{
    public static string Of(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARNING",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "CRITICAL",
        _ => "NOTSET",
    };
}
