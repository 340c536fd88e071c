using LlmGate.Configuration;
using LlmGate.Observability.Metrics;
using LlmGate.Observability.Tracing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Observability;

/// <summary>Registers what the config's callbacks turn on: Prometheus metrics, OpenTelemetry traces and metrics (and Langfuse through them).</summary>
internal static class ObservabilityServiceCollectionExtensions
{
    public static IServiceCollection AddLlmGateObservability(this IServiceCollection services, GatewayConfig config, Func<string, string?> getEnvironmentVariable)
    {
        services.AddLlmGateMetrics(config.Observability);
        services.AddLlmGateTracing(config.Observability, getEnvironmentVariable);
        return services;
    }
}
