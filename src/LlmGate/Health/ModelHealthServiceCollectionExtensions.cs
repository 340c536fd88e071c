using LlmGate.Configuration;
using LlmGate.Proxy;
using LlmGate.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmGate.Health;

/// <summary>Model health checks: <c>/health</c> on demand, and in the background with <c>background_health_checks</c>.</summary>
internal static class ModelHealthServiceCollectionExtensions
{
    public static IServiceCollection AddLlmGateModelHealth(this IServiceCollection services, GatewayConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        services.AddSingleton<ModelHealthStore>();
        services.AddSingleton<IModelHealthResults>(sp => sp.GetRequiredService<ModelHealthStore>());
        services.AddSingleton(sp =>
        {
            var time = sp.GetRequiredService<TimeProvider>();
            // Its own forwarder over the proxy's connection pool, without the forwarder's warning per failed call: a
            // failing deployment would log one every round. The checker logs when a deployment turns unhealthy and
            // when it recovers, and /health shows the error.
            var forwarder = new UpstreamForwarder(sp.GetRequiredService<UpstreamClient>(), time, NullLogger<UpstreamForwarder>.Instance);
            return new ModelHealthChecker(forwarder, sp.GetRequiredService<ModelHealthStore>(), sp.GetRequiredService<GatewaySnapshotSource>(),
                sp.GetRequiredService<UploadFolder>(), time, sp.GetRequiredService<ILogger<ModelHealthChecker>>());
        });
        if (config.Observability.BackgroundHealthChecks)
        {
            services.AddSingleton<BackgroundHealthChecks>();
            services.AddHostedService(sp => sp.GetRequiredService<BackgroundHealthChecks>());
        }

        return services;
    }
}
