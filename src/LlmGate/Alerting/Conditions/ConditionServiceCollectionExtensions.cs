using LlmGate.Alerting.Delivery;
using LlmGate.Configuration;
using LlmGate.Redis;
using LlmGate.Routing;
using LlmGate.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmGate.Alerting.Conditions;

/// <summary>
/// Wires LiteLLM's per-call alert types: <c>llm_exceptions</c>, <c>llm_too_slow</c>, <c>outage_alerts</c>,
/// <c>region_outage_alerts</c>, <c>cooldown_deployment</c>, and the <c>daily_reports</c> and <c>fallback_reports</c>.
/// A type no channel would get is not wired at all; with none wanted, nothing is (no observer, no background loop).
/// </summary>
internal static class ConditionServiceCollectionExtensions
{
    public static IServiceCollection AddAlertConditions(this IServiceCollection services, GatewayConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Alerting is not { } options || ConditionSelection.WantedTypes(options) is not { Count: > 0 } types)
        {
            return services;
        }

        services.AddSingleton(sp =>
        {
            var catalog = ConditionCatalog.From(sp.GetRequiredService<GatewaySnapshotSource>().Current.Routes);
            var logger = sp.GetRequiredService<ILogger<ConditionMonitor>>();
            ConditionLog.Enabled(logger, string.Join(", ", types));
            var context = new ConditionContext(
                options, catalog, sp.GetRequiredService<AlertNotifier>(), sp.GetRequiredService<SecretScrubber>(), sp.GetRequiredService<TimeProvider>(), logger)
            {
                // With replicas sharing a Redis, one of them tells each condition.
                Claims = config.Redis is not null && sp.GetService<RedisConnection>() is { } redis ? new RedisConditionClaims(redis) : null,
            };
            return new ConditionSet(context, types);
        });
        services.AddSingleton(sp => new ConditionObserver(sp.GetRequiredService<ConditionSet>()));
        services.AddSingleton<Calls.ICallObserver>(sp => sp.GetRequiredService<ConditionObserver>());
        if (types.Contains(AlertTypeNames.CooldownDeployment))
        {
            services.AddSingleton<ICooldownListener>(sp => sp.GetRequiredService<ConditionSet>().Cooldown!);
        }

        services.AddSingleton<ConditionMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<ConditionMonitor>());
        return services;
    }
}
