namespace LlmGate.Configuration;

/// <summary>
/// LiteLLM's alert types (<c>general_settings.alert_types</c>), those LlmGate adds, and the channel names
/// <c>general_settings.alerting</c> takes. Configuration checks names against these; alerting routes by them.
/// </summary>
internal static class AlertTypeNames
{
    public const string LlmExceptions = "llm_exceptions";
    public const string LlmTooSlow = "llm_too_slow";
    public const string LlmRequestsHanging = "llm_requests_hanging";
    public const string BudgetAlerts = "budget_alerts";
    public const string DbExceptions = "db_exceptions";
    public const string OutageAlerts = "outage_alerts";
    public const string RegionOutageAlerts = "region_outage_alerts";
    public const string CooldownDeployment = "cooldown_deployment";
    public const string FallbackReports = "fallback_reports";
    public const string DailyReports = "daily_reports";

    /// <summary>LlmGate's failure-rate incident (LiteLLM's PagerDuty "High LLM API Failure Rate").</summary>
    public const string LlmApiFailure = "llm_api_failure";

    /// <summary>LlmGate's own: a replica lost the Redis it shares alert state through.</summary>
    public const string SharedStateLost = "llmgate_shared_state_lost";

    /// <summary>Every type LlmGate sends, LiteLLM's first.</summary>
    public static readonly IReadOnlyList<string> Implemented =
    [
        LlmExceptions, LlmTooSlow, LlmRequestsHanging, BudgetAlerts, DbExceptions, OutageAlerts, RegionOutageAlerts,
        CooldownDeployment, FallbackReports, DailyReports, LlmApiFailure, SharedStateLost,
    ];

    /// <summary>LiteLLM types LlmGate knows but does not send: accepted with a warning.</summary>
    public static readonly IReadOnlyList<string> NotImplemented =
    [
        "spend_reports", "failed_tracking_spend", "new_model_added", "model_deprecation_warnings",
        "new_virtual_key_created", "virtual_key_updated", "virtual_key_deleted", "new_team_created", "team_updated",
        "team_deleted", "new_internal_user_created", "internal_user_updated", "internal_user_deleted",
    ];

    public const string PagerDutyChannel = "pagerduty";
    public const string SlackChannel = "slack";
    public const string DiscordChannel = "discord";
    public const string TeamsChannel = "ms_teams";
    public const string WebhookChannel = "webhook";
    public const string EmailChannel = "email";

    /// <summary>The channels, as <c>general_settings.alerting</c> and <c>llmgate_settings.alerting.routes</c> name them.</summary>
    public static readonly IReadOnlyList<string> Channels = [PagerDutyChannel, SlackChannel, DiscordChannel, TeamsChannel, WebhookChannel, EmailChannel];
}
