using LlmGate.Alerting.Silences;
using LlmGate.OpenAi;
using LlmGate.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Alerting;

/// <summary>
/// <c>GET /alerting/status</c>, the fire drill's <c>POST /alerting/test</c> and <c>GET /health/services</c> (<see cref="FireDrillEndpoints"/>), and the silences (<see cref="SilenceEndpoints"/>). The host's auth middleware guards them;
/// they work whether alerting is on or off.
/// </summary>
internal static class AlertingEndpoints
{
    public static IEndpointRouteBuilder MapLlmGateAlerting(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/alerting/status", PlainHandlers.Writing(context =>
        {
            var services = context.RequestServices;
            // Deployment health is the router's: shown whether alerting is on or off.
            var status = services.GetService<AlertingStatusReporter>()?.Snapshot()
                ?? AlertingStatus.Disabled with
                {
                    Deployments = services.GetService<IDeploymentHealth>()?.Snapshot(services.GetRequiredService<TimeProvider>().GetUtcNow()),
                };
            return Results.Json(status, AlertingJsonContext.Default.AlertingStatus);
        }));

        endpoints.MapLlmGateFireDrill();
        endpoints.MapSilences();
        return endpoints;
    }
}
