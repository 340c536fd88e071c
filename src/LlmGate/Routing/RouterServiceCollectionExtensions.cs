using LlmGate.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LlmGate.Routing;

/// <summary>Wires the router's state: cooldowns, deployment health, the picker and its random source.</summary>
internal static class RouterServiceCollectionExtensions
{
    public static IServiceCollection AddLlmGateRouter(this IServiceCollection services, GatewayConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);

        // TryAdd: a shared store (Redis) or a seeded Random registered first takes the place of these.
        services.TryAddSingleton(Random.Shared);
        services.TryAddSingleton<ICooldownStore>(_ => new InMemoryCooldownStore(config.Router));
        services.TryAddSingleton<IDeploymentHealth>(sp => new DeploymentHealth(sp.GetRequiredService<ICooldownStore>()));
        services.AddSingleton(sp => new DeploymentPicker(config.Router, sp.GetRequiredService<ICooldownStore>(), sp.GetRequiredService<Random>()));
        return services;
    }
}
