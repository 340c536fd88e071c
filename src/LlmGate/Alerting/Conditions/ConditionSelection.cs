using LlmGate.Configuration;

namespace LlmGate.Alerting.Conditions;

/// <summary>Which per-call alert types are worth keeping state for: those some channel would ever get.</summary>
internal static class ConditionSelection
{
    public static readonly IReadOnlyList<string> Types =
    [
        AlertTypeNames.LlmExceptions, AlertTypeNames.LlmTooSlow, AlertTypeNames.OutageAlerts, AlertTypeNames.RegionOutageAlerts,
        AlertTypeNames.CooldownDeployment, AlertTypeNames.DailyReports, AlertTypeNames.FallbackReports,
    ];

    /// <summary>
    /// A route in <c>llmgate_settings.alerting.routes</c> always wants it; otherwise only the chat, webhook and email
    /// channels get these types (never PagerDuty by default), and only those <c>alert_types</c> lists when it is set.
    /// </summary>
    public static bool Wanted(AlertingOptions options, string type)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Routes.ContainsKey(type))
        {
            return true;
        }

        return options.Channels.Any && (options.AlertTypes is null || options.AlertTypes.Contains(type));
    }

    public static IReadOnlyList<string> WantedTypes(AlertingOptions options) => [.. Types.Where(t => Wanted(options, t))];
}
