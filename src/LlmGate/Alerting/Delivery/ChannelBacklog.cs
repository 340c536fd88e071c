namespace LlmGate.Alerting.Delivery;

/// <summary>What waits in one channel's lane of the outbox: how many payloads, and since when the oldest.</summary>
internal sealed record ChannelBacklog(string Channel, int Pending, DateTimeOffset OldestQueuedAt);
