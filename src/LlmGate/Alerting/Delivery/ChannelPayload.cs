namespace LlmGate.Alerting.Delivery;

/// <summary>
/// A notification as one channel rendered it, ready to queue in that channel's lane, or to hold back when
/// <see cref="HeldBy"/> names the silence that matched it.
/// </summary>
internal sealed record ChannelPayload(string Channel, string Payload)
{
    public string? HeldBy { get; init; }

    /// <summary>A held trigger's labels, kept with it so the hold can be checked again (a report has no record of them elsewhere).</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
