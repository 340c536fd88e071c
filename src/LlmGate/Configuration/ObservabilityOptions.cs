namespace LlmGate.Configuration;

/// <summary>
/// Metrics, traces, logs and model health checks: LiteLLM's <c>callbacks</c> (<c>prometheus</c>, <c>otel</c>,
/// <c>langfuse</c>), <c>json_logs</c> and the <c>general_settings</c> health-check keys. The exporters' own settings
/// (endpoints, headers, Langfuse keys) stay in the environment, as in LiteLLM, and are read where they are used.
/// </summary>
internal sealed record ObservabilityOptions
{
    /// <summary>LiteLLM's current latency buckets (seconds), used by every latency histogram of <c>/metrics</c>.</summary>
    public static readonly IReadOnlyList<double> DefaultLatencyBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 420, 600];

    // After the buckets: static fields initialise in order.
    public static readonly ObservabilityOptions Default = new();

    /// <summary><c>prometheus</c> in <c>callbacks</c>, <c>success_callback</c> or <c>failure_callback</c>: serve <c>/metrics</c>.</summary>
    public bool Prometheus { get; init; }

    /// <summary><c>otel</c> in the callbacks: traces (and GenAI metrics) through the OpenTelemetry SDK, configured by env.</summary>
    public bool Otel { get; init; }

    /// <summary><c>langfuse</c> or <c>langfuse_otel</c> in the callbacks: traces to Langfuse's OTLP endpoint.</summary>
    public bool Langfuse { get; init; }

    /// <summary><c>litellm_settings.json_logs</c> or env <c>JSON_LOGS=true</c>: one JSON object per log line.</summary>
    public bool JsonLogs { get; init; }

    /// <summary>
    /// <c>litellm_settings.require_auth_for_metrics_endpoint</c>; LiteLLM's current default is true (a key is needed to
    /// scrape), false leaves <c>/metrics</c> open.
    /// </summary>
    public bool RequireAuthForMetrics { get; init; } = true;

    /// <summary><c>litellm_settings.prometheus_latency_buckets</c>: upper bounds in seconds, ascending.</summary>
    public IReadOnlyList<double> LatencyBuckets { get; init; } = DefaultLatencyBuckets;

    /// <summary>
    /// <c>litellm_settings.prometheus_metrics_max_series_per_metric</c>: label sets beyond it are folded into one
    /// series whose caller labels read <c>other</c>, and counted in <c>llmgate_metrics_dropped_series_total</c>.
    /// </summary>
    public int MaxSeriesPerMetric { get; init; } = 10_000;

    /// <summary><c>general_settings.background_health_checks</c>: probe every deployment every <see cref="HealthCheckInterval"/>.</summary>
    public bool BackgroundHealthChecks { get; init; }

    /// <summary><c>general_settings.health_check_interval</c>, LiteLLM's default 300 s.</summary>
    public TimeSpan HealthCheckInterval { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary><c>general_settings.health_check_details</c>: false leaves api_base and errors out of <c>/health</c>.</summary>
    public bool HealthCheckDetails { get; init; } = true;

    /// <summary>Callbacks named in the config that LlmGate does not implement (reported once at start).</summary>
    public IReadOnlyList<string> IgnoredCallbacks { get; init; } = [];
}
