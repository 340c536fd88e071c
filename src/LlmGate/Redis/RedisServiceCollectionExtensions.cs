using LlmGate.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace LlmGate.Redis;

/// <summary>
/// Wires the Redis connection when an address is configured: the connection, its sync loop and readiness check. The
/// features that share state through it register their own Redis stores (as <see cref="IRedisParticipant"/>s the sync
/// loop drives). Without an address, nothing is added.
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

        return services;
    }
}
