namespace LlmGate.Alerting.Delivery;

/// <summary>The answer to one delivery attempt, for the status page. <see cref="Message"/> never holds a secret.</summary>
internal sealed record DeliveryResult(
    DateTimeOffset At,
    string Channel,
    AlertAction Action,
    string DedupKey,
    bool Delivered,
    int? StatusCode,
    string Message);
