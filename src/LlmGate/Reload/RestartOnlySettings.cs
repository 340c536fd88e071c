using LlmGate.Configuration;

namespace LlmGate.Reload;

/// <summary>
/// The settings a reload cannot apply to a running gateway, because something was built from them at start: the
/// listener's body limit, the Redis connection, the key store, the metrics and trace pipelines, the alert channels
/// and the alert windows' memory. A reload keeps their running values (and says so); everything else (model_list,
/// router_settings, timeouts, the master key, alert thresholds, the PagerDuty routing key) takes effect at once.
/// </summary>
internal static class RestartOnlySettings
{
    /// <summary>The restart-only settings <paramref name="next"/> changes, named as the user wrote them.</summary>
    public static IReadOnlyList<string> Changed(GatewayConfig running, GatewayConfig next)
    {
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(next);
        var changed = new List<string>();
        Compare(changed, "general_settings.max_request_size_mb", running.MaxRequestBodyBytes, next.MaxRequestBodyBytes);
        Compare(changed, "Redis (router_settings.redis_*, litellm_settings.cache_params)", running.Redis, next.Redis);
        Compare(changed, "the key and spend store (general_settings.database_url and spend settings)", running.Spend, next.Spend);
        Compare(changed, "callbacks, logging and background health checks", running.Observability, next.Observability);
        if ((running.Alerting is null) != (next.Alerting is null))
        {
            changed.Add("general_settings.alerting (turning alerting on or off)");
        }
        else if (running.Alerting is { } was && next.Alerting is { } now)
        {
            Compare(changed, "alerting_args windows (failure_threshold_window_seconds, hanging_threshold_window_seconds)", new[] { was.FailureWindow, was.HangingWindow }, new[] { now.FailureWindow, now.HangingWindow });
            Compare(changed, "alerting_args.per_model_group", was.PerModelGroup, now.PerModelGroup);
            Compare(changed, "alert channels and alert types (general_settings.alerting, alert_types, alert_to_webhook_url, ...)", WithoutHotFields(was), WithoutHotFields(now));
        }

        return changed;
    }

    /// <summary><paramref name="next"/> with the running values of every restart-only setting.</summary>
    public static GatewayConfig KeepRunning(GatewayConfig running, GatewayConfig next)
    {
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(next);
        return next with
        {
            MaxRequestBodyBytes = running.MaxRequestBodyBytes,
            Redis = running.Redis,
            Spend = running.Spend,
            Observability = running.Observability,
            Alerting = running.Alerting is { } was && next.Alerting is { } now ? WithHotFields(was, now) : running.Alerting,
        };
    }

    // The detection thresholds and the PagerDuty event's own fields are hot; the channel set, its URLs and the windows are not.
    private static AlertingOptions WithHotFields(AlertingOptions running, AlertingOptions next) => running with
    {
        FailureThreshold = next.FailureThreshold,
        HangingThreshold = next.HangingThreshold,
        HangingThresholdFails = next.HangingThresholdFails,
        IgnoreClientErrors = next.IgnoreClientErrors,
        PagerDuty = running.PagerDuty is { } was && next.PagerDuty is { } now
            ? was with { RoutingKey = now.RoutingKey, Source = now.Source, FailureSeverity = now.FailureSeverity, HangingSeverity = now.HangingSeverity }
            : running.PagerDuty,
    };

    private static AlertingOptions WithoutHotFields(AlertingOptions options)
    {
        var blank = new AlertingOptions();
        return options with
        {
            FailureThreshold = blank.FailureThreshold,
            HangingThreshold = blank.HangingThreshold,
            HangingThresholdFails = blank.HangingThresholdFails,
            IgnoreClientErrors = blank.IgnoreClientErrors,
            FailureWindow = blank.FailureWindow,
            HangingWindow = blank.HangingWindow,
            PerModelGroup = blank.PerModelGroup,
            PagerDuty = options.PagerDuty is { } pagerDuty ? pagerDuty with { RoutingKey = "", Source = "", FailureSeverity = "", HangingSeverity = "" } : null,
        };
    }

    private static void Compare<T>(List<string> changed, string setting, T running, T next)
    {
        if (!ConfigFingerprint.Same(running, next))
        {
            changed.Add(setting);
        }
    }
}
