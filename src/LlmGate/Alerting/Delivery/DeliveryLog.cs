using System.Collections.Concurrent;

namespace LlmGate.Alerting.Delivery;

/// <summary>
/// Remembers how delivery went, overall and per channel: written by the senders (each channel by its own only), read
/// by the status endpoint.
/// </summary>
internal sealed class DeliveryLog
{
    private readonly ConcurrentDictionary<string, ChannelStatus> _channels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Channel, int? Status, bool Delivered), long> _attempts = new();
    private DeliveryResult? _last;

    /// <summary>The last attempt of any channel.</summary>
    public DeliveryResult? Last => Volatile.Read(ref _last);

    public void Record(DeliveryResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Volatile.Write(ref _last, result);
        var previous = For(result.Channel);
        _attempts.AddOrUpdate((result.Channel, result.StatusCode, result.Delivered), 1, static (_, count) => count + 1);
        _channels[result.Channel] = result.Delivered
            ? previous with { LastDelivery = result, LastDelivered = result, ConsecutiveFailures = 0 }
            : previous with { LastDelivery = result, LastFailure = result, ConsecutiveFailures = previous.ConsecutiveFailures + 1 };
    }

    /// <summary>Every attempt since start, by channel, the status it got (null: no answer) and whether it was delivered.</summary>
    public IReadOnlyList<KeyValuePair<(string Channel, int? Status, bool Delivered), long>> Attempts() => [.. _attempts];

    /// <summary>How <paramref name="channel"/>'s attempts went; its outbox fields are left for the caller to fill.</summary>
    public ChannelStatus For(string channel) => _channels.GetValueOrDefault(channel) ?? new ChannelStatus { Name = channel };
}
