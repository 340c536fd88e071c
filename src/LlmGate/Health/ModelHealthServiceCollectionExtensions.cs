using LlmGate.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Health;

/// <summary>Model health checks: <c>/health</c> on demand, and in the background with <c>background_health_checks</c>.</summary>
internal static class ModelHealthServiceCollectionExtensions
{
    public static IServiceCollection AddLlmGateModelHealth(this IServiceCollection services, GatewayConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        services.AddSingleton<ModelHealthStore>();
        services.AddSingleton<IModelHealthResults>(sp => sp.GetRequiredService<ModelHealthStore>());
        services.AddSingleton<ModelHealthChecker>();
        if (config.Observability.BackgroundHealthChecks)
        {
            services.AddSingleton<BackgroundHealthChecks>();
            services.AddHostedService(sp => sp.GetRequiredService<BackgroundHealthChecks>());
        }

        return services;
    }
}
