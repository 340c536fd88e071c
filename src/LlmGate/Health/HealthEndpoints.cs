using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmGate.Health;

/// <summary>LiteLLM's unauthenticated probes: liveness always answers; readiness runs the registered health checks.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapLlmGateHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health/liveliness", () => Results.Json("I'm alive!"));
        endpoints.MapGet("/health/liveness", () => Results.Json("I'm alive!"));
        endpoints.MapGet("/health/readiness", async (HealthCheckService health, CancellationToken cancellationToken) =>
        {
            var report = await health.CheckHealthAsync(cancellationToken);
            var status = report.Status switch
            {
                HealthStatus.Healthy => "healthy",
                HealthStatus.Degraded => "degraded",
                _ => "unhealthy",
            };
            return Results.Json(
                new Dictionary<string, object?>
                {
                    ["status"] = status,
                    // LiteLLM's field: the key and spend store.
                    ["db"] = report.Entries.TryGetValue("database", out var database) && database.Status == HealthStatus.Healthy ? "connected" : "Not connected",
                    ["cache"] = null,
                    ["llmgate_version"] = typeof(HealthEndpoints).Assembly.GetName().Version?.ToString(3),
                    ["checks"] = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
                },
                statusCode: report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
        });
        return endpoints;
    }
}
