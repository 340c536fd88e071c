using LlmGate.Alerting.Delivery;
using LlmGate.Configuration;
using LlmGate.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace LlmGate.Alerting.Silences;

/// <summary>Wires silences: the store, the silencer the notifier asks, and the release of held alerts when a silence ends.</summary>
internal static class SilenceServiceCollectionExtensions
{
    public static IServiceCollection AddAlertSilences(this IServiceCollection services, GatewayConfig config, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory); // the silences live in the outbox file there

        services.AddSingleton(sp => new SilenceStore(
            sp.GetRequiredService<SqliteAlertOutbox>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SilenceStore>>()));
        services.AddSingleton(sp => new SilenceEditor(
            sp.GetRequiredService<SilenceStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SilenceEditor>>()));
        services.TryAddSingleton<IAlertSilencer>(sp => new SilenceGate(sp.GetRequiredService<SilenceStore>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new SilenceReleaser(
            sp.GetRequiredService<SqliteAlertOutbox>(),
            sp.GetRequiredService<SilenceStore>(),
            sp.GetRequiredService<AlertRoutes>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SilenceReleaser>>()));
        services.AddHostedService(sp => sp.GetRequiredService<SilenceReleaser>());

        if (config.Redis is not null)
        {
            // Every replica holds back the same alerts: silences shared on the Redis sync loop.
            services.AddSingleton<IRedisParticipant>(sp => new RedisSilenceSync(
                sp.GetRequiredService<SilenceStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RedisSilenceSync>>()));
        }

        return services;
    }
}
