namespace LlmGate.Alerting.Delivery;

/// <summary>A notification as one channel rendered it, ready to queue in that channel's lane.</summary>
internal sealed record ChannelPayload(string Channel, string Payload);
