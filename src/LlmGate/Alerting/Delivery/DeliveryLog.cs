using System.Collections.Concurrent;

namespace LlmGate.Alerting.Delivery;

/// <summary>
/// Remembers how delivery went, overall and per channel: written by the senders (each channel by its own only), read
/// by the status endpoint.
/// </summary>
internal sealed class DeliveryLog
{
    /// <summary>How many attempts <see cref="Recent"/> keeps: enough for a shift's history, bounded whatever the traffic.</summary>
    public const int RecentCapacity = 500;

    private readonly DeliveryResult?[] _recent = new DeliveryResult?[RecentCapacity];
    private readonly Lock _recentLock = new();
    private long _recorded;
    private readonly ConcurrentDictionary<string, ChannelStatus> _channels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Channel, int? Status, bool Delivered), long> _attempts = new();
    private DeliveryResult? _last;

    /// <summary>The last attempt of any channel.</summary>
    public DeliveryResult? Last => Volatile.Read(ref _last);

    public void Record(DeliveryResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Volatile.Write(ref _last, result);
        lock (_recentLock)
        {
            _recent[_recorded % RecentCapacity] = result;
            _recorded++;
        }

        var previous = For(result.Channel);
        _attempts.AddOrUpdate((result.Channel, result.StatusCode, result.Delivered), 1, static (_, count) => count + 1);
        _channels[result.Channel] = result.Delivered
            ? previous with { LastDelivery = result, LastDelivered = result, ConsecutiveFailures = 0 }
            : previous with { LastDelivery = result, LastFailure = result, ConsecutiveFailures = previous.ConsecutiveFailures + 1 };
    }

    /// <summary>The last <see cref="RecentCapacity"/> attempts of every channel, newest first (the console's history).</summary>
    public IReadOnlyList<DeliveryResult> Recent()
    {
        lock (_recentLock)
        {
            var count = (int)Math.Min(_recorded, RecentCapacity);
            var recent = new DeliveryResult[count];
            for (var i = 0; i < count; i++)
            {
                recent[i] = _recent[(_recorded - 1 - i) % RecentCapacity]!;
            }

            return recent;
        }
    }

    /// <summary>Every attempt since start, by channel, the status it got (null: no answer) and whether it was delivered.</summary>
    public IReadOnlyList<KeyValuePair<(string Channel, int? Status, bool Delivered), long>> Attempts() => [.. _attempts];

    /// <summary>How <paramref name="channel"/>'s attempts went; its outbox fields are left for the caller to fill.</summary>
    public ChannelStatus For(string channel) => _channels.GetValueOrDefault(channel) ?? new ChannelStatus { Name = channel };
}
