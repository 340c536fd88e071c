namespace LlmGate.Alerting.Delivery;

/// <summary>The last answer to a delivery attempt, for the status page. <see cref="Message"/> never holds the routing key.</summary>
internal sealed record DeliveryResult(DateTimeOffset At, string Action, string DedupKey, int? StatusCode, string Message);
