namespace LlmGate.Alerting.Delivery;

/// <summary>
/// A notification as one channel rendered it, ready to queue in that channel's lane, or to hold back when
/// <see cref="HeldBy"/> names the silence that matched it.
/// </summary>
internal sealed record ChannelPayload(string Channel, string Payload)
{
    public string? HeldBy { get; init; }
}
