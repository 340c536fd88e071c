using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;
using LlmGate.Configuration;
using LlmGate.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace LlmGate.Redis;

/// <summary>
/// Wires shared state when a Redis address is configured: the connection, its sync loop and readiness check, the
/// Redis cooldown store and the Redis alert store (registered before the router and alerting, whose TryAdd then keeps
/// them). Without one, nothing is added.
/// </summary>
internal static class RedisServiceCollectionExtensions
{
    public const string HealthCheckName = "redis";

    public static IServiceCollection AddLlmGateRedis(this IServiceCollection services, GatewayConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Redis is not { } redis)
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new RedisConnection(redis, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RedisConnection>>()));
        services.AddSingleton<RedisSyncService>();
        services.AddHostedService(sp => sp.GetRequiredService<RedisSyncService>());
        services.AddHealthChecks().AddCheck<RedisHealthCheck>(HealthCheckName);

        services.AddSingleton(sp => new RedisCooldownStore(
            new InMemoryCooldownStore(config.Router), sp.GetRequiredService<RedisConnection>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ICooldownStore>(sp => sp.GetRequiredService<RedisCooldownStore>());
        services.AddSingleton<IRedisParticipant>(sp => sp.GetRequiredService<RedisCooldownStore>());

        if (config.Alerting is { } alerting)
        {
            services.AddSingleton(sp => new SharedStateLostNotice(
                sp.GetRequiredService<RedisConnection>(), sp.GetRequiredService<AlertNotifier>(), sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton(sp => new RedisAlertStateStore(
                new InMemoryAlertStateStore(AlertRule.From(alerting), sp.GetRequiredService<AlertScopes>()),
                AlertRule.From(alerting),
                sp.GetRequiredService<AlertScopes>(),
                sp.GetRequiredService<RedisConnection>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<RedisAlertStateStore>>()));
            services.AddSingleton<IAlertStateStore>(sp => sp.GetRequiredService<RedisAlertStateStore>());
            services.AddSingleton<IRedisParticipant>(sp => sp.GetRequiredService<RedisAlertStateStore>());
        }

        return services;
    }
}
