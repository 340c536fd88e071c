namespace LlmGate.Alerting.Delivery;

/// <summary>A queued PagerDuty event: its body has no routing key; the sender adds the current one.</summary>
internal sealed record OutboxEntry(long Id, string DedupKey, string Action, string Body, DateTimeOffset CreatedAt, int Attempts, DateTimeOffset NextAttemptAt);
