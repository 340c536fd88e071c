using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Alerting.Delivery;

/// <summary>Issue 19: on a graceful stop each channel's sender makes one last attempt at what is due, within a bounded budget.</summary>
public sealed class SenderLastAttemptTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly SqliteAlertOutbox _outbox;
    private readonly RecordingChannel _channel = new();
    private readonly FakeLogCollector _logs = new();

    public SenderLastAttemptTests()
    {
        _outbox = new SqliteAlertOutbox(SqliteAlertOutbox.PathIn(_directory.Path), _time);
    }

    [Fact]
    public async Task Stop_EntriesDueAndNotSent_DeliveredInOrderAndRemoved()
    {
        var sender = Sender(TimeSpan.FromSeconds(30)); // never started: nothing was sent before the stop
        _outbox.Enqueue("incident-1", AlertAction.Trigger, [new ChannelPayload(_channel.Name, "trigger|incident-1")]);
        _outbox.Enqueue("incident-1", AlertAction.Resolve, [new ChannelPayload(_channel.Name, "resolve|incident-1")]);

        await sender.StopAsync(CancellationToken.None);

        Assert.Equal("trigger|incident-1", await _channel.NextAttemptAsync());
        Assert.Equal("resolve|incident-1", await _channel.NextAttemptAsync());
        Assert.Equal(0, _outbox.Count(_channel.Name));
    }

    [Fact]
    public async Task Stop_ChannelNeverAnswers_StopEndsWithinTheBudgetAndTheEntryStays()
    {
        _channel.Hangs = true;
        var sender = Sender(TimeSpan.FromMilliseconds(200));
        _outbox.Enqueue("incident-2", AlertAction.Trigger, [new ChannelPayload(_channel.Name, "trigger|incident-2")]);

        await sender.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20)); // bounded: the budget, not the channel

        Assert.Equal("trigger|incident-2", await _channel.NextAttemptAsync());
        Assert.Equal(1, _outbox.Count(_channel.Name));
        Assert.Contains(_logs.GetSnapshot(), r => r.Message.Contains("ran out of its", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stop_EntryBackingOff_LeftForTheNextStart()
    {
        var sender = Sender(TimeSpan.FromSeconds(30));
        _outbox.Enqueue("incident-3", AlertAction.Trigger, [new ChannelPayload(_channel.Name, "trigger|incident-3")]);
        var entry = _outbox.PeekOldest(_channel.Name)!;
        _outbox.Reschedule(entry.Id, 1, _time.GetUtcNow().AddMinutes(1)); // its channel asked for a minute

        await sender.StopAsync(CancellationToken.None);

        Assert.Equal(0, _channel.UnreadAttempts);
        Assert.Equal(1, _outbox.Count(_channel.Name));
    }

    public void Dispose()
    {
        _outbox.Dispose();
        _directory.Dispose();
    }

    private AlertSender Sender(TimeSpan budget) =>
        new(_outbox, _channel, new DeliveryLog(), _time, new FakeLogger<AlertSender>(_logs), new RetryBackoff(() => 0.5)) { LastAttemptBudget = budget };
}
