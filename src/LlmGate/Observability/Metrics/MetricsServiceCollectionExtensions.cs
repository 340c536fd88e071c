using LlmGate.Alerting;
using LlmGate.Calls;
using LlmGate.Configuration;
using LlmGate.Health;
using LlmGate.Keys;
using LlmGate.OpenAi;
using LlmGate.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Observability.Metrics;

/// <summary>Prometheus <c>/metrics</c> with LiteLLM's names, when the <c>prometheus</c> callback is configured.</summary>
internal static class MetricsServiceCollectionExtensions
{
    public static IServiceCollection AddLlmGateMetrics(this IServiceCollection services, ObservabilityOptions options)
    {
        if (!options.Prometheus)
        {
            return services; // nothing on the request path
        }

        services.AddSingleton(new LiteLlmMetrics(options));
        services.AddSingleton(sp => new SeriesCache(sp.GetRequiredService<LiteLlmMetrics>(), options, sp.GetRequiredService<GatewaySnapshotSource>()));
        services.AddSingleton<MetricsObserver>();
        // Registered after the key feature's spend observer, which prices the call first (CallContext.Cost).
        services.AddSingleton<ICallObserver>(sp => sp.GetRequiredService<MetricsObserver>());
        services.AddSingleton<ICooldownListener>(sp => sp.GetRequiredService<MetricsObserver>());
        services.AddSingleton(sp => new ScrapeTimeGauges(
            sp.GetRequiredService<LiteLlmMetrics>(),
            sp.GetRequiredService<SeriesCache>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<AlertingStatusReporter>(),
            sp.GetService<KeyDirectory>(),
            sp.GetService<IModelHealthResults>()));
        return services;
    }

    /// <summary><c>GET /metrics</c> (routing matches <c>/metrics/</c>, LiteLLM's mount point, too) in the Prometheus text format.</summary>
    public static IEndpointRouteBuilder MapLlmGateMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/metrics", WriteAsync);
        return endpoints;
    }

    private static async Task WriteAsync(HttpContext context)
    {
        var services = context.RequestServices;
        if (services.GetService<LiteLlmMetrics>() is not { } metrics)
        {
            await OpenAiError.WriteAsync(context, StatusCodes.Status404NotFound,
                "Metrics are off: add \"prometheus\" to litellm_settings.callbacks to serve /metrics.", "not_found_error");
            return;
        }

        services.GetRequiredService<ScrapeTimeGauges>().Refresh();
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
    }
}
