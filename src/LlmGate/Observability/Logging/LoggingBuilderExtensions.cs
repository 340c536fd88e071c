using LlmGate.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace LlmGate.Observability.Logging;

/// <summary>The console log: plain text, or one JSON object per line with <c>json_logs</c>.</summary>
internal static class LoggingBuilderExtensions
{
    public static ILoggingBuilder AddLlmGateLogging(this ILoggingBuilder logging, ObservabilityOptions options)
    {
        if (!options.JsonLogs)
        {
            return logging;
        }

        logging.Services.TryAddSingleton(TimeProvider.System);
        logging.AddConsole(console =>
        {
            console.FormatterName = JsonLogFormatter.FormatterName;
            // As LiteLLM's JSON logs: below WARNING to stdout, WARNING and above to stderr.
            console.LogToStandardErrorThreshold = LogLevel.Warning;
        });
        logging.AddConsoleFormatter<JsonLogFormatter, JsonLogFormatterOptions>(formatter => formatter.IncludeScopes = true);
        return logging;
    }
}
