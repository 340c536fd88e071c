namespace LlmGate.Alerting.Delivery;

/// <summary>How fast a channel's sender may go: a burst of <see cref="Capacity"/>, then one send every <see cref="RefillInterval"/>.</summary>
internal sealed record DeliveryRateLimit(int Capacity, TimeSpan RefillInterval)
{
    /// <summary>PagerDuty: about 120 events a minute per routing key.</summary>
    public static readonly DeliveryRateLimit PagerDuty = new(10, TimeSpan.FromMilliseconds(500));

    /// <summary>Slack, Teams and Discord incoming webhooks: about one message a second, short bursts allowed.</summary>
    public static readonly DeliveryRateLimit ChatWebhook = new(3, TimeSpan.FromSeconds(1));
}
