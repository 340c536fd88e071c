using System.Globalization;
using System.Text;
using LlmGate.Configuration;

namespace LlmGate.Ui.Pages;

/// <summary>
/// The effective config as readable YAML-like text, built field by field from the typed config so that every secret
/// is masked on purpose (<see cref="Mask"/>), never by pattern: provider keys and credentials, the master key, the
/// PagerDuty routing key, webhook URLs and secret, the SMTP, Redis, database and console passwords. A provider
/// parameter not known to be harmless is masked too, and an address shows no user info or query string.
/// </summary>
internal static class ConfigText
{
    public const string Mask = "••••";

    // The provider parameters that name a place or a role, never a credential; every other one is masked.
    private static readonly HashSet<string> PlainProviderParams = new(StringComparer.Ordinal)
    {
        "api_version", "vertex_project", "vertex_ai_project", "vertex_location", "vertex_ai_location",
        "aws_region_name", "aws_session_name", "aws_profile_name", "aws_role_name", "aws_sts_endpoint",
        "aws_bedrock_runtime_endpoint", "region_name",
    };

    public static string Render(GatewayConfig config, UiOptions? ui = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var text = new Writer();
        text.Line(0, "general_settings:");
        text.Line(1, "master_key", Secret(config.MasterKey));
        text.Line(1, "max_request_size_mb", Number(config.MaxRequestBodyBytes / (1024.0 * 1024.0)));
        text.Line(1, "request_timeout", Seconds(config.RequestTimeout));
        text.Line(1, "stream_timeout", config.StreamTimeout is { } stream ? Seconds(stream) : "null");
        text.Line(1, "always_include_stream_usage", Bool(config.AlwaysIncludeStreamUsage));
        text.Line(1, "drop_params", Bool(config.DropParams));

        text.Line(0, "model_list:");
        foreach (var deployment in config.Deployments)
        {
            text.Line(1, "- model_name", deployment.ModelName);
            text.Line(2, "id", deployment.Id);
            text.Line(2, "model", deployment.Model);
            text.Line(2, "api_key", deployment.MissingApiKeyVariable is { } missing ? $"(os.environ/{missing} is not set)" : Secret(deployment.ApiKey));
            text.Line(2, "api_base", deployment.ApiBase is { } apiBase ? Address(apiBase) : "null");
            foreach (var (name, value) in deployment.ProviderParams.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                text.Line(2, name, PlainProviderParams.Contains(name) ? value : Mask);
            }

            if (deployment.RequestDefaults.Count > 0)
            {
                // Names only: a default may carry extra_body headers with a token in them.
                text.Line(2, "request_defaults", $"[{string.Join(", ", deployment.RequestDefaults.Select(d => d.Name))}]");
            }

            text.Line(2, "weight", Number(deployment.Weight));
            text.Optional(2, "rpm", deployment.Rpm);
            text.Optional(2, "tpm", deployment.Tpm);
            text.Optional(2, "timeout", deployment.Timeout is { } timeout ? Seconds(timeout) : null);
            text.Optional(2, "stream_timeout", deployment.StreamTimeout is { } streamTimeout ? Seconds(streamTimeout) : null);
            text.Optional(2, "num_retries", deployment.NumRetries);
            text.Optional(2, "max_retries", deployment.MaxRetries);
            text.Optional(2, "mode", deployment.Mode);
            text.Optional(2, "mock_response", deployment.MockResponse is null ? null : "(set)");
        }

        Router(text, config.Router);
        Alerting(text, config.Alerting);
        text.Line(0, "redis:");
        if (config.Redis is { } redis)
        {
            text.Line(1, "host", redis.Host);
            text.Line(1, "port", Number(redis.Port));
            text.Line(1, "user", redis.User ?? "null");
            text.Line(1, "password", Secret(redis.Password));
            text.Line(1, "tls", Bool(redis.UseTls));
            text.Line(1, "database", Number(redis.Database));
        }
        else
        {
            text.Line(1, "(none: state stays in this process)");
        }

        text.Line(0, "spend:");
        text.Line(1, "database_url", config.Spend.DatabaseUrl is null ? "null (SQLite under --data-dir)" : Mask);
        text.Optional(1, "database_connection_pool_limit", config.Spend.ConnectionPoolLimit);
        text.Line(1, "disable_spend_logs", Bool(config.Spend.DisableSpendLogs));
        text.Line(1, "maximum_spend_logs_retention_period", config.Spend.SpendLogsRetention?.ToString() ?? "null");
        text.Line(1, "proxy_batch_write_at", Seconds(config.Spend.BatchWriteInterval));

        var observability = config.Observability;
        text.Line(0, "observability:");
        text.Line(1, "prometheus", Bool(observability.Prometheus));
        text.Line(1, "otel", Bool(observability.Otel));
        text.Line(1, "langfuse", Bool(observability.Langfuse) + (observability.Langfuse ? " (keys from LANGFUSE_PUBLIC_KEY / LANGFUSE_SECRET_KEY, not shown)" : ""));
        text.Line(1, "json_logs", Bool(observability.JsonLogs));
        text.Line(1, "require_auth_for_metrics_endpoint", Bool(observability.RequireAuthForMetrics));
        text.Line(1, "background_health_checks", Bool(observability.BackgroundHealthChecks));
        text.Line(1, "health_check_interval", Seconds(observability.HealthCheckInterval));
        if (observability.IgnoredCallbacks.Count > 0)
        {
            text.Line(1, "ignored_callbacks", $"[{string.Join(", ", observability.IgnoredCallbacks)}]");
        }

        if (ui is not null)
        {
            text.Line(0, "ui:");
            text.Line(1, "username", ui.Username ?? "null (master key only)");
            text.Line(1, "password", Secret(ui.Password));
            text.Line(1, "session_lifetime", Seconds(ui.SessionLifetime));
        }

        return text.ToString();
    }

    /// <summary>Every secret value the config holds, for scrubbing text that did not come through <see cref="Render"/>.</summary>
    public static IEnumerable<string?> Secrets(GatewayConfig config, UiOptions? ui = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        yield return config.MasterKey;
        foreach (var deployment in config.Deployments)
        {
            yield return deployment.ApiKey;
            foreach (var (name, value) in deployment.ProviderParams)
            {
                if (!PlainProviderParams.Contains(name))
                {
                    yield return value;
                }
            }
        }

        if (config.Alerting is { } alerting)
        {
            yield return alerting.PagerDuty?.RoutingKey;
            var channels = alerting.Channels;
            yield return channels.Slack?.WebhookUrl?.OriginalString;
            foreach (var url in channels.Slack?.UrlsByType.Values.SelectMany(u => u) ?? [])
            {
                yield return url.OriginalString;
            }

            yield return channels.Discord?.WebhookUrl.OriginalString;
            yield return channels.Teams?.WebhookUrl.OriginalString;
            yield return channels.Webhook?.Url.OriginalString;
            yield return channels.Webhook?.Secret;
            yield return channels.Email?.Password;
        }

        yield return config.Redis?.Password;
        yield return config.Spend.DatabaseUrl;
        yield return ui?.Password;
    }

    private static void Router(Writer text, RouterOptions router)
    {
        text.Line(0, "router_settings:");
        text.Line(1, "routing_strategy", router.RoutingStrategy.ToString());
        text.Line(1, "num_retries", Number(router.NumRetries));
        text.Line(1, "retry_after", Seconds(router.MinRetryWait));
        text.Line(1, "allowed_fails", Number(router.AllowedFails));
        text.Line(1, "cooldown_time", Seconds(router.CooldownTime));
        text.Line(1, "disable_cooldowns", Bool(router.DisableCooldowns));
        text.Line(1, "max_fallbacks", Number(router.MaxFallbacks));
        Map(text, "fallbacks", router.Fallbacks);
        text.Line(1, "default_fallbacks", $"[{string.Join(", ", router.DefaultFallbacks)}]");
        Map(text, "context_window_fallbacks", router.ContextWindowFallbacks);
        Map(text, "content_policy_fallbacks", router.ContentPolicyFallbacks);
    }

    private static void Alerting(Writer text, AlertingOptions? alerting)
    {
        text.Line(0, "alerting:");
        if (alerting is null)
        {
            text.Line(1, "(off: general_settings.alerting is not set)");
            return;
        }

        text.Line(1, "failure_threshold", Number(alerting.FailureThreshold));
        text.Line(1, "failure_window", Seconds(alerting.FailureWindow));
        text.Line(1, "hanging_threshold", Seconds(alerting.HangingThreshold));
        text.Line(1, "hanging_window", Seconds(alerting.HangingWindow));
        text.Line(1, "hanging_threshold_fails", Number(alerting.HangingThresholdFails));
        text.Line(1, "ignore_client_errors", Bool(alerting.IgnoreClientErrors));
        text.Line(1, "per_model_group", Bool(alerting.PerModelGroup));
        text.Line(1, "alerting_threshold", Seconds(alerting.AlertingThreshold));
        text.Line(1, "alert_types", alerting.AlertTypes is null ? "all" : $"[{string.Join(", ", alerting.AlertTypes.Order(StringComparer.Ordinal))}]");
        text.Line(1, "channels:");
        if (alerting.PagerDuty is { } pagerDuty)
        {
            text.Line(2, "pagerduty:");
            text.Line(3, "routing_key", Mask);
            text.Line(3, "events_url", Address(pagerDuty.EventsUrl.OriginalString));
            text.Line(3, "failure_severity", pagerDuty.FailureSeverity);
            text.Line(3, "hanging_severity", pagerDuty.HangingSeverity);
        }

        var channels = alerting.Channels;
        if (channels.Slack is { } slack)
        {
            text.Line(2, "slack:");
            text.Line(3, "webhook_url", slack.WebhookUrl is null ? "null" : Mask);
            foreach (var (type, urls) in slack.UrlsByType.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                text.Line(3, $"alert_to_webhook_url.{type}", $"{urls.Count} × {Mask}");
            }
        }

        if (channels.Discord is not null)
        {
            text.Line(2, "discord:");
            text.Line(3, "webhook_url", Mask);
        }

        if (channels.Teams is not null)
        {
            text.Line(2, "ms_teams:");
            text.Line(3, "webhook_url", Mask);
        }

        if (channels.Webhook is { } webhook)
        {
            text.Line(2, "webhook:");
            text.Line(3, "url", Mask);
            text.Line(3, "webhook_secret", Secret(webhook.Secret));
        }

        if (channels.Email is { } email)
        {
            text.Line(2, "email:");
            text.Line(3, "host", email.Host);
            text.Line(3, "port", Number(email.Port));
            text.Line(3, "username", email.Username ?? "null");
            text.Line(3, "password", Secret(email.Password));
            text.Line(3, "sender", email.Sender);
            text.Line(3, "tls", Bool(email.Tls));
            text.Line(3, "recipients", $"[{string.Join(", ", email.Recipients)}]");
        }

        foreach (var (type, routes) in alerting.Routes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Line(1, $"routes.{type}", $"[{string.Join(", ", routes)}]");
        }

        foreach (var (type, settings) in alerting.TypeSettings.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Line(1, $"alert_type_config.{type}", settings.Digest ? $"digest every {Seconds(settings.DigestInterval)}" : "no digest");
        }

        foreach (var (type, url) in alerting.RunbookUrls.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Line(1, $"runbook_urls.{type}", Address(url.OriginalString));
        }

        text.Line(1, "proxy_base_url", alerting.ProxyBaseUrl is { } baseUrl ? Address(baseUrl.OriginalString) : "null");
    }

    private static void Map(Writer text, string name, IReadOnlyDictionary<string, IReadOnlyList<string>> map)
    {
        if (map.Count == 0)
        {
            text.Line(1, name, "{}");
            return;
        }

        text.Line(1, name + ":");
        foreach (var (group, targets) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Line(2, group, $"[{string.Join(", ", targets)}]");
        }
    }

    private static string Secret(string? value) => value is null ? "null" : Mask;

    /// <summary>An address without what may hold a credential: user info and the query string are masked.</summary>
    internal static string Address(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            return Mask; // not an address: nothing says it is harmless
        }

        var builder = new StringBuilder().Append(uri.Scheme).Append("://");
        if (uri.UserInfo.Length > 0)
        {
            builder.Append(Mask).Append('@');
        }

        builder.Append(uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port.ToString(CultureInfo.InvariantCulture)}").Append(uri.AbsolutePath);
        if (uri.Query.Length > 0)
        {
            builder.Append('?').Append(Mask);
        }

        return builder.ToString();
    }

    private static string Seconds(TimeSpan value) => Number(value.TotalSeconds) + "s";

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";

    private sealed class Writer
    {
        private readonly StringBuilder _text = new();

        public void Line(int depth, string text) => _text.Append(' ', depth * 2).Append(text).Append('\n');

        public void Line(int depth, string name, string value) => Line(depth, $"{name}: {value}");

        public void Optional(int depth, string name, string? value)
        {
            if (value is not null)
            {
                Line(depth, name, value);
            }
        }

        public void Optional(int depth, string name, int? value)
        {
            if (value is { } number)
            {
                Line(depth, name, Number(number));
            }
        }

        public override string ToString() => _text.ToString();
    }
}
