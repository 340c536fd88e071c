using LlmGate.Configuration;
using LlmGate.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LlmGate.Routing;

/// <summary>Wires the router's state: cooldowns (shared through Redis when configured), deployment health, the picker and its random source.</summary>
internal static class RouterServiceCollectionExtensions
{
    public static IServiceCollection AddLlmGateRouter(this IServiceCollection services, GatewayConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);

        if (config.Redis is not null)
        {
            // Cooldowns shared by every replica: the Redis store mirrors them into its in-memory one.
            services.AddSingleton(sp => new RedisCooldownStore(
                sp.GetRequiredService<InMemoryCooldownStore>(), sp.GetRequiredService<RedisConnection>(), sp.GetRequiredService<TimeProvider>()));
            services.TryAddSingleton<ICooldownStore>(sp => sp.GetRequiredService<RedisCooldownStore>());
            services.AddSingleton<IRedisParticipant>(sp => sp.GetRequiredService<RedisCooldownStore>());
        }

        // TryAdd: a store or a seeded Random registered first (by a test) takes the place of these.
        services.TryAddSingleton(Random.Shared);
        services.AddSingleton(_ => new InMemoryCooldownStore(config.Router));
        services.TryAddSingleton<ICooldownStore>(sp => sp.GetRequiredService<InMemoryCooldownStore>());
        services.AddSingleton<DeploymentCooldowns>();
        services.TryAddSingleton<IDeploymentHealth>(sp => new DeploymentHealth(sp.GetRequiredService<ICooldownStore>()));
        services.AddSingleton(sp => new DeploymentPicker(config.Router, sp.GetRequiredService<ICooldownStore>(), sp.GetRequiredService<Random>()));
        services.AddSingleton<IConfigReloadListener, RouterReloadListener>();
        return services;
    }
}
