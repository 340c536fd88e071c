namespace LlmGate.Alerting.Delivery;

/// <summary>
/// Somewhere alerts go: PagerDuty, Slack, Teams, Discord, a webhook or email, one class each. Every channel has its own
/// lane in the outbox and its own <see cref="AlertSender"/>, so one that fails or hangs never holds back another.
/// </summary>
internal interface IAlertChannel
{
    /// <summary>Names the channel's outbox lane, its log lines and its status entry: stable across versions, never a secret.</summary>
    string Name { get; }

    /// <summary>The kind of channel (<c>pagerduty</c>, <c>slack</c>, …, as <c>general_settings.alerting</c> names it): what routes and silences match.</summary>
    string Kind { get; }

    /// <summary>How fast its sender may send.</summary>
    DeliveryRateLimit RateLimit { get; }

    /// <summary>The payload to queue for <paramref name="notification"/>, in this channel's format and within its limits; never a secret.</summary>
    string Render(AlertNotification notification);

    /// <summary>One attempt to deliver a queued payload, with the secret configured now; answers whatever happens (only cancellation throws).</summary>
    Task<DeliveryAnswer> SendAsync(string payload, CancellationToken cancellationToken);
}
