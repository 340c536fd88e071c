namespace LlmGate.Configuration;

/// <summary><c>general_settings.alerting_args</c> when <c>alerting</c> lists <c>pagerduty</c>.</summary>
internal sealed record AlertingOptions
{
    public static readonly Uri DefaultEventsUrl = new("https://events.pagerduty.com/v2/enqueue");

    /// <summary>The Events API v2 integration key, from env <c>PAGERDUTY_API_KEY</c>. Never logged.</summary>
    public required string RoutingKey { get; init; }

    /// <summary>Env <c>PAGERDUTY_EVENTS_URL</c> or <c>alerting_args.pagerduty_events_url</c>.</summary>
    public Uri EventsUrl { get; init; } = DefaultEventsUrl;

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

    public string FailureSeverity { get; init; } = "critical";

    public string HangingSeverity { get; init; } = "critical";

    /// <summary>PagerDuty <c>payload.source</c>; the host name unless configured.</summary>
    public string Source { get; init; } = Environment.MachineName;
}
