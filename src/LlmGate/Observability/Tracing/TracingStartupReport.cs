using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmGate.Observability.Tracing;

/// <summary>
/// Says once at start where traces go, and what in the environment could not be used: names only, never a header
/// or a key.
/// </summary>
internal sealed class TracingStartupReport(
    OtelSettings? otel,
    string serviceName,
    LangfuseSettings? langfuse,
    IReadOnlyList<string> langfuseProblems,
    string sampler,
    string? samplerProblem,
    ILogger<TracingStartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (otel is not null)
        {
            foreach (var problem in otel.Warnings)
            {
                TracingLog.OtelSetting(logger, problem);
            }

            TracingLog.OtelOn(logger, otel.TracesEndpoint is { } endpoint ? Show(endpoint) : "the console", otel.Protocol.ToString(), serviceName);
        }

        if (samplerProblem is not null)
        {
            TracingLog.OtelSetting(logger, samplerProblem);
        }

        if (otel is not null || langfuse is not null)
        {
            TracingLog.Sampling(logger, sampler);
        }

        if (langfuse is not null)
        {
            TracingLog.LangfuseOn(logger, Show(langfuse.TracesEndpoint));
        }
        else if (langfuseProblems.Count > 0)
        {
            TracingLog.LangfuseOff(logger, string.Join(" and ", langfuseProblems));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Scheme, host, port and path: a user name or password in the URL stays out of the log.
    private static string Show(Uri endpoint) => endpoint.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.SafeUnescaped);
}
