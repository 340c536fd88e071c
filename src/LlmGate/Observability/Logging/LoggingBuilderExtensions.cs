using LlmGate.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace LlmGate.Observability.Logging;

/// <summary>The console log: plain text, or one JSON object per line with <c>json_logs</c>.</summary>
internal static class LoggingBuilderExtensions
{
    /// <summary>ASP.NET Core's per-request logger: while it is enabled, every request gets a log scope and an <c>Activity</c>.</summary>
    public const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public static ILoggingBuilder AddLlmGateLogging(this ILoggingBuilder logging, ObservabilityOptions options)
    {
        if (!options.JsonLogs)
        {
            // The plain console shows no scopes, and this logger writes nothing at the levels the gateway keeps
            // (Microsoft.AspNetCore: Warning): off, so no request pays for a scope and an Activity nobody reads (about
            // 600 B and an AsyncLocal write each; measured in bench/README.md's alloc B/req). Tracing still gets its
            // server span: ASP.NET Core makes the Activity whenever its ActivitySource has a listener.
            logging.AddFilter(HostingDiagnostics, LogLevel.None);
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
