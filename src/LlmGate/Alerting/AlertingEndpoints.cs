using LlmGate.Alerting.Silences;
using LlmGate.OpenAi;
using LlmGate.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Alerting;

/// <summary>
/// <c>GET /alerting/status</c>, <c>POST /alerting/test</c> (the fire drill) and the silences (<see cref="SilenceEndpoints"/>). The host's auth middleware guards them;
/// they work whether alerting is on or off.
/// </summary>
internal static class AlertingEndpoints
{
    public static IEndpointRouteBuilder MapLlmGateAlerting(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/alerting/status", (IServiceProvider services) =>
        {
            // Deployment health is the router's: shown whether alerting is on or off.
            var status = services.GetService<AlertingStatusReporter>()?.Snapshot()
                ?? AlertingStatus.Disabled with
                {
                    Deployments = services.GetService<IDeploymentHealth>()?.Snapshot(services.GetRequiredService<TimeProvider>().GetUtcNow()),
                };
            return Results.Json(status, AlertingJsonContext.Default.AlertingStatus);
        });

        endpoints.MapPost("/alerting/test", async (HttpContext context, IServiceProvider services, CancellationToken cancellationToken) =>
        {
            var drill = services.GetService<AlertFireDrill>();
            if (drill is null)
            {
                await OpenAiError.WriteAsync(context, StatusCodes.Status400BadRequest,
                    "Alerting is not configured: set general_settings.alerting: [\"pagerduty\"] and PAGERDUTY_API_KEY.",
                    "invalid_request_error");
                return;
            }

            var result = await drill.RunAsync(cancellationToken);
            await context.Response.WriteAsJsonAsync(result, AlertingJsonContext.Default.FireDrillResult, contentType: null, cancellationToken);
        });

        endpoints.MapSilences();
        return endpoints;
    }
}
