using LlmGate.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Observability.Tracing;

/// <summary>OpenTelemetry traces and GenAI metrics (the <c>otel</c> callback) and Langfuse's OTLP endpoint (<c>langfuse</c>).</summary>
internal static class TracingServiceCollectionExtensions
{
    public static IServiceCollection AddLlmGateTracing(this IServiceCollection services, ObservabilityOptions options, Func<string, string?> getEnvironmentVariable)
    {
        _ = (options, getEnvironmentVariable);
        return services;
    }
}
