namespace LlmGate.Configuration;

/// <summary>
/// <c>general_settings.alerting_args</c>' detection settings: what counts, the windows and their thresholds; LiteLLM's
/// alert types and their routing; and each channel's own settings (<see cref="PagerDuty"/>, <see cref="Channels"/>),
/// which detection never reads.
/// </summary>
internal sealed record AlertingOptions
{
    public int FailureThreshold { get; init; } = 60;

    public TimeSpan FailureWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Waiting this long for a response (or the next chunk of a stream) makes a request hanging.</summary>
    public TimeSpan HangingThreshold { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan HangingWindow { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>How many hanging requests within <see cref="HangingWindow"/> page (LiteLLM documents but ignores it).</summary>
    public int HangingThresholdFails { get; init; } = 1;

    /// <summary>When true only 408, 429, 5xx, timeouts and connection failures count as failures.</summary>
    public bool IgnoreClientErrors { get; init; }

    /// <summary>Keep windows, thresholds and incidents per model group instead of for the whole gateway.</summary>
    public bool PerModelGroup { get; init; }

    /// <summary>The PagerDuty channel, when <c>general_settings.alerting</c> lists <c>pagerduty</c>.</summary>
    public PagerDutyOptions? PagerDuty { get; init; }

    /// <summary>The other channels <c>general_settings.alerting</c> lists.</summary>
    public AlertChannelsOptions Channels { get; init; } = AlertChannelsOptions.None;

    /// <summary>
    /// <c>general_settings.alert_types</c>: the types the chat, webhook and email channels get; null means every type
    /// (LiteLLM's default). PagerDuty is not filtered by it, as in LiteLLM.
    /// </summary>
    public IReadOnlySet<string>? AlertTypes { get; init; }

    /// <summary><c>general_settings.alerting_threshold</c>: a completed call slower than this is <c>llm_too_slow</c> (LiteLLM's proxy default, 600 s).</summary>
    public TimeSpan AlertingThreshold { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary><c>general_settings.alert_type_config</c>: digest mode per alert type.</summary>
    public IReadOnlyDictionary<string, AlertTypeSettings> TypeSettings { get; init; } = new Dictionary<string, AlertTypeSettings>(StringComparer.Ordinal);

    /// <summary><c>alerting_args.outage_alert_ttl</c>: the window in which a deployment's 408/5xx failures are counted.</summary>
    public TimeSpan OutageWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary><c>alerting_args.region_outage_alert_ttl</c>: the same, per provider region.</summary>
    public TimeSpan RegionOutageWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary><c>alerting_args.minor_outage_alert_threshold</c>.</summary>
    public int MinorOutageThreshold { get; init; } = 5;

    /// <summary><c>alerting_args.major_outage_alert_threshold</c>.</summary>
    public int MajorOutageThreshold { get; init; } = 10;

    /// <summary><c>alerting_args.daily_report_frequency</c> (env <c>SLACK_DAILY_REPORT_FREQUENCY</c>): how often <c>daily_reports</c> and <c>fallback_reports</c> go out.</summary>
    public TimeSpan DailyReportFrequency { get; init; } = TimeSpan.FromSeconds(43200);

    /// <summary><c>llmgate_settings.alerting.routes</c>: the channels (by name) an alert type goes to, instead of the default.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Routes { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary><c>llmgate_settings.alerting.runbook_urls</c>: a link shown with every alert of the type.</summary>
    public IReadOnlyDictionary<string, Uri> RunbookUrls { get; init; } = new Dictionary<string, Uri>(StringComparer.Ordinal);

    /// <summary>Env <c>PROXY_BASE_URL</c>: the gateway's own address, linked from messages (its <c>/alerting/status</c>).</summary>
    public Uri? ProxyBaseUrl { get; init; }
}
