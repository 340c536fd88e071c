using LlmGate.OpenAi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmGate.Health;

/// <summary>
/// LiteLLM's unauthenticated probes: liveness always answers; readiness runs the registered health checks. The
/// model health endpoints beside them (<see cref="ModelHealthEndpoints"/>) need a key.
/// </summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapLlmGateHealth(this IEndpointRouteBuilder endpoints)
    {
        var alive = PlainHandlers.Writing(_ => Results.Json("I'm alive!"));
        endpoints.MapGet("/health/liveliness", alive);
        endpoints.MapGet("/health/liveness", alive);
        endpoints.MapGet("/health/readiness", PlainHandlers.Writing(async context =>
        {
            var (body, status) = await ReadinessAsync(context.RequestServices.GetRequiredService<HealthCheckService>(), context.RequestAborted);
            return Results.Json(body, statusCode: status);
        }));
        endpoints.MapLlmGateModelHealth();
        return endpoints;
    }

    /// <summary>The readiness body and status: 503 while a registered check is unhealthy.</summary>
    public static async Task<(Dictionary<string, object?> Body, int Status)> ReadinessAsync(HealthCheckService health, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(health);
        var report = await health.CheckHealthAsync(cancellationToken);
        var status = report.Status switch
        {
            HealthStatus.Healthy => "healthy",
            HealthStatus.Degraded => "degraded",
            _ => "unhealthy",
        };
        var body = new Dictionary<string, object?>
        {
            ["status"] = status,
            // LiteLLM's field: the key and spend store.
            ["db"] = report.Entries.TryGetValue("database", out var database) && database.Status == HealthStatus.Healthy ? "connected" : "Not connected",
            ["cache"] = null,
            ["llmgate_version"] = typeof(HealthEndpoints).Assembly.GetName().Version?.ToString(3),
            ["checks"] = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
        };
        return (body, report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }
}
