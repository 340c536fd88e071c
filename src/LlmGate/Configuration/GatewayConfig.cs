namespace LlmGate.Configuration;

/// <summary>The validated, immutable view of a LiteLLM <c>config.yaml</c>. Nothing else reads YAML.</summary>
internal sealed record GatewayConfig
{
    public required IReadOnlyList<DeploymentConfig> Deployments { get; init; }

    /// <summary><c>general_settings.master_key</c> or env <c>LITELLM_MASTER_KEY</c>; null leaves the gateway open.</summary>
    public string? MasterKey { get; init; }

    /// <summary>Default total timeout of a call: <c>router_settings.timeout</c>, else <c>litellm_settings.request_timeout</c>, else 600 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>Default <c>stream_timeout</c> (<c>router_settings.stream_timeout</c> / <c>litellm_settings.stream_timeout</c>); null means <see cref="RequestTimeout"/>.</summary>
    public TimeSpan? StreamTimeout { get; init; }

    /// <summary><c>general_settings.max_request_size_mb</c>; 413 above it.</summary>
    public long MaxRequestBodyBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Retries, fallbacks, cooldowns and the routing strategy.</summary>
    public RouterOptions Router { get; init; } = RouterOptions.Default;

    /// <summary>Null when alerting is not configured.</summary>
    public AlertingOptions? Alerting { get; init; }

    /// <summary>Null when no Redis is configured: alert state and cooldowns stay in this process.</summary>
    public RedisOptions? Redis { get; init; }

    /// <summary>
    /// <c>general_settings.always_include_stream_usage</c>: ask OpenAI-compatible upstreams for a stream's usage
    /// (<c>stream_options.include_usage</c>) so streamed spend is counted; the client's stream is unchanged.
    /// </summary>
    public bool AlwaysIncludeStreamUsage { get; init; } = true;

    /// <summary><c>litellm_settings.drop_params</c> (or env <c>LITELLM_DROP_PARAMS</c>): parameters a provider cannot take are dropped rather than refused.</summary>
    public bool DropParams { get; init; }

    /// <summary>The key and spend store, and how spend is written.</summary>
    public SpendOptions Spend { get; init; } = SpendOptions.Default;

    /// <summary>Metrics, traces, JSON logs and model health checks.</summary>
    public ObservabilityOptions Observability { get; init; } = ObservabilityOptions.Default;
}
