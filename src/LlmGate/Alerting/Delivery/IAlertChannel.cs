namespace LlmGate.Alerting.Delivery;

/// <summary>
/// Somewhere alerts go: PagerDuty now; Slack, Teams, Discord, a webhook or email as one class each. Every channel has
/// its own lane in the outbox and its own <see cref="AlertSender"/>, so one that fails or hangs never holds back another.
/// </summary>
internal interface IAlertChannel
{
    /// <summary>Names the channel's outbox lane, its log lines and its status entry: stable across versions.</summary>
    string Name { get; }

    /// <summary>The payload to queue for <paramref name="notification"/>, in this channel's format and within its limits; never a secret.</summary>
    string Render(AlertNotification notification);

    /// <summary>One attempt to deliver a queued payload, with the secret configured now; answers whatever happens (only cancellation throws).</summary>
    Task<DeliveryAnswer> SendAsync(string payload, CancellationToken cancellationToken);
}
