using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Alerting;

/// <summary>
/// One channel's lane in a real outbox with a real <see cref="AlertSender"/>, driven one step at a time
/// (<see cref="DeliverNextAsync"/>) on a <see cref="FakeTimeProvider"/>: a retry is due only after the test moves the
/// clock past its back-off, so nothing waits on wall time.
/// </summary>
internal sealed class ChannelLane : IDisposable
{
    private readonly TempDirectory _directory = new();

    public ChannelLane(IAlertChannel channel, FakeTimeProvider? time = null)
    {
        Channel = channel;
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        Outbox = new SqliteAlertOutbox(SqliteAlertOutbox.PathIn(_directory.Path), Time);
        Sender = new AlertSender(Outbox, channel, DeliveryLog, Time, new FakeLogger<AlertSender>(Logs), new RetryBackoff(() => 0.5));
    }

    public IAlertChannel Channel { get; }

    public FakeTimeProvider Time { get; }

    public SqliteAlertOutbox Outbox { get; }

    public AlertSender Sender { get; }

    public DeliveryLog DeliveryLog { get; } = new();

    public FakeLogCollector Logs { get; } = new();

    /// <summary>Renders <paramref name="notification"/> for the channel and queues it in its lane.</summary>
    public void Enqueue(AlertNotification notification) =>
        Outbox.Enqueue(notification.DedupKey, notification.Action, [new ChannelPayload(Channel.Name, Channel.Render(notification))]);

    /// <summary>One attempt at the oldest queued payload, which must be due.</summary>
    public Task DeliverNextAsync() => Sender.DeliverNextAsync(CancellationToken.None);

    /// <summary>Moves the clock past the longest back-off, so a rescheduled payload is due again.</summary>
    public void SkipBackoff() => Time.Advance(RetryBackoff.MaxRetryAfter);

    /// <summary>Every log line, message and structured values, for checks that a secret is in none of them.</summary>
    public string AllLogText() => string.Join('\n', Logs.GetSnapshot().Select(l =>
        l.Message + " " + l.Exception + " " + string.Join(' ', l.StructuredState?.Select(p => p.Value) ?? [])));

    public void Dispose()
    {
        Sender.Dispose();
        Outbox.Dispose();
        _directory.Dispose();
    }
}
