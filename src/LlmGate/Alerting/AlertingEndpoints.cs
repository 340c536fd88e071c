using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Alerting;

/// <summary>
/// <c>GET /alerting/status</c> and <c>POST /alerting/test</c> (the fire drill). The host's auth middleware guards them;
/// they work whether alerting is on or off.
/// </summary>
internal static class AlertingEndpoints
{
    public static IEndpointRouteBuilder MapLlmGateAlerting(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/alerting/status", (IServiceProvider services) =>
        {
            var status = services.GetService<AlertingStatusReporter>()?.Snapshot() ?? AlertingStatus.Disabled;
            return Results.Json(status, AlertingJsonContext.Default.AlertingStatus);
        });

        endpoints.MapPost("/alerting/test", async (IServiceProvider services, CancellationToken cancellationToken) =>
        {
            var drill = services.GetService<AlertFireDrill>();
            if (drill is null)
            {
                var error = new OpenAiErrorBody(new OpenAiError(
                    "Alerting is not configured: set general_settings.alerting: [\"pagerduty\"] and PAGERDUTY_API_KEY.",
                    "invalid_request_error",
                    null,
                    "400"));
                return Results.Json(error, AlertingJsonContext.Default.OpenAiErrorBody, statusCode: StatusCodes.Status400BadRequest);
            }

            var result = await drill.RunAsync(cancellationToken);
            return Results.Json(result, AlertingJsonContext.Default.FireDrillResult);
        });

        return endpoints;
    }
}
