namespace LlmGate.Configuration;

/// <summary>
/// The PagerDuty channel's settings: env <c>PAGERDUTY_API_KEY</c> and <c>PAGERDUTY_EVENTS_URL</c>, and the severity and
/// <c>pagerduty_*</c> keys of <c>general_settings.alerting_args</c>. Detection reads none of them.
/// </summary>
internal sealed record PagerDutyOptions
{
    public static readonly Uri DefaultEventsUrl = new("https://events.pagerduty.com/v2/enqueue");

    /// <summary>The Events API v2 integration key, from env <c>PAGERDUTY_API_KEY</c>. Never logged.</summary>
    public required string RoutingKey { get; init; }

    /// <summary>Env <c>PAGERDUTY_EVENTS_URL</c> or <c>alerting_args.pagerduty_events_url</c>.</summary>
    public Uri EventsUrl { get; init; } = DefaultEventsUrl;

    /// <summary><c>payload.severity</c> of a failure page.</summary>
    public string FailureSeverity { get; init; } = "critical";

    /// <summary><c>payload.severity</c> of a hanging page.</summary>
    public string HangingSeverity { get; init; } = "critical";

    /// <summary><c>payload.source</c>; the host name unless configured.</summary>
    public string Source { get; init; } = Environment.MachineName;
}
