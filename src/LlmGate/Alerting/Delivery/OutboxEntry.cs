namespace LlmGate.Alerting.Delivery;

/// <summary>A queued payload in one channel's lane. It holds no secret: the channel adds the current one when sending.</summary>
internal sealed record OutboxEntry(
    long Id,
    string Channel,
    string DedupKey,
    AlertAction Action,
    string Payload,
    DateTimeOffset CreatedAt,
    int Attempts,
    DateTimeOffset NextAttemptAt);
