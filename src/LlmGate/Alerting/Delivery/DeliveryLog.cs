using System.Collections.Concurrent;

namespace LlmGate.Alerting.Delivery;

/// <summary>
/// Remembers how delivery went, overall and per channel: written by the senders (each channel by its own only), read
/// by the status endpoint.
/// </summary>
internal sealed class DeliveryLog
{
    private readonly ConcurrentDictionary<string, ChannelStatus> _channels = new(StringComparer.Ordinal);
    private DeliveryResult? _last;

    /// <summary>The last attempt of any channel.</summary>
    public DeliveryResult? Last => Volatile.Read(ref _last);

    public void Record(DeliveryResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Volatile.Write(ref _last, result);
        var previous = For(result.Channel);
        _channels[result.Channel] = result.Delivered
            ? previous with { LastDelivery = result, ConsecutiveFailures = 0 }
            : previous with { LastDelivery = result, LastFailure = result, ConsecutiveFailures = previous.ConsecutiveFailures + 1 };
    }

    /// <summary>How <paramref name="channel"/>'s attempts went; its outbox fields are left for the caller to fill.</summary>
    public ChannelStatus For(string channel) => _channels.GetValueOrDefault(channel) ?? new ChannelStatus { Name = channel };
}
