namespace LlmGate.Configuration;

/// <summary>
/// <c>general_settings.alerting_args</c>' detection settings: what counts, the windows and their thresholds. Where
/// alerts go is each channel's own settings (<see cref="PagerDuty"/>), which detection never reads.
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
}
