using System.Globalization;
using LlmGate.Redis;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LlmGate.Keys;

/// <summary>
/// With Redis configured, a change made through the management API on one replica is published at once, and every
/// replica marks the entity to be reread by its next request — within milliseconds rather than the change feed's
/// quarter second (which still carries spend, and everything when Redis is away).
/// </summary>
internal sealed class KeyChangeBroadcast(RedisConnection connection, KeyDirectory directory, ILogger<KeyChangeBroadcast> logger)
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(RedisKeys.Prefix + "keys:changes");
    private int _subscribed;

    public void Publish(EntityChange change)
    {
        if (connection.Subscriber is not { } subscriber)
        {
            return;
        }

        try
        {
            subscriber.Publish(Channel, ((int)change.Kind).ToString(CultureInfo.InvariantCulture) + "|" + change.Id, CommandFlags.FireAndForget);
        }
        catch (Exception exception) when (exception is RedisException or ObjectDisposedException)
        {
            // The change feed brings it within a quarter second anyway.
        }
    }

    /// <summary>Subscribes once the Redis client exists; called by the spend writer's loop until it has.</summary>
    public void EnsureSubscribed()
    {
        if (Volatile.Read(ref _subscribed) != 0 || connection.Subscriber is not { } subscriber || Interlocked.Exchange(ref _subscribed, 1) != 0)
        {
            return;
        }

        subscriber.Subscribe(Channel, (_, message) =>
        {
            if (Parse(message) is { } change)
            {
                directory.Invalidate(change);
            }
            else
            {
                KeysLog.BadChangeMessage(logger);
            }
        });
    }

    private static EntityChange? Parse(RedisValue message)
    {
        var text = (string?)message;
        var bar = text?.IndexOf('|', StringComparison.Ordinal) ?? -1;
        return bar > 0
            && int.TryParse(text.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var kind)
            && Enum.IsDefined((SpendEntityKind)kind)
            && bar < text!.Length - 1
            ? new EntityChange((SpendEntityKind)kind, text[(bar + 1)..])
            : null;
    }
}
