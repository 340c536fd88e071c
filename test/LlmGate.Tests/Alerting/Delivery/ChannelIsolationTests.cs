using System.Threading.Channels;
using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;
using LlmGate.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmGate.Tests.Alerting.Delivery;

public sealed class ChannelIsolationTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Deliver_OtherChannelNeverAnswers_PagerDutyGetsTriggerAndResolveAnyway()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var harness = SenderHarness.Create(pagerDuty);
        var stuck = new RecordingChannel("stuck") { Hangs = true };
        var notifier = new AlertNotifier(harness.Outbox, [harness.Channel, stuck], NullLogger<AlertNotifier>.Instance);
        await harness.StartAsync();
        await harness.StartSenderAsync(stuck);

        Assert.True(notifier.TryEnqueue(Trigger("incident-1")));
        Assert.True(notifier.TryEnqueue(AlertNotification.Resolved("incident-1", "llmgate_test", Now)));
        Assert.StartsWith("Trigger|incident-1", await stuck.NextAttemptAsync(), StringComparison.Ordinal); // and it never returns
        await pagerDuty.WaitForEventsAsync(2, SenderHarness.Patience);

        Assert.Equal(["trigger", "resolve"], pagerDuty.Events.Select(e => e.EventAction));
        Assert.Equal(FakeIncidentState.Resolved, pagerDuty.Incident("incident-1")!.State);
        Assert.Equal(2, harness.Outbox.Count("stuck"));
        Assert.Equal(0, stuck.UnreadAttempts); // its resolve waits behind its trigger
        await harness.StopAsync().WaitAsync(SenderHarness.Patience); // a hung send does not hold up shutdown either
    }

    [Fact]
    public async Task Deliver_OtherChannelFailing_RetriesItsLaneInOrderWhilePagerDutyDelivers()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var harness = SenderHarness.Create(pagerDuty);
        var failing = new RecordingChannel("failing") { Answer = RecordingChannel.Unavailable };
        var notifier = new AlertNotifier(harness.Outbox, [failing, harness.Channel], NullLogger<AlertNotifier>.Instance);
        var waits = Channel.CreateUnbounded<TimeSpan>();
        await harness.StartAsync();
        await harness.StartSenderAsync(failing, wait => waits.Writer.TryWrite(wait));

        notifier.TryEnqueue(Trigger("incident-1"));
        notifier.TryEnqueue(AlertNotification.Resolved("incident-1", "llmgate_test", Now));
        await pagerDuty.WaitForEventsAsync(2, SenderHarness.Patience);
        await harness.WaitForAnswersAsync(2); // the clock moves below: not while PagerDuty's answer is on its way

        using var timeout = new CancellationTokenSource(SenderHarness.Patience);
        var attempts = new List<string> { await failing.NextAttemptAsync() };
        Assert.Equal(TimeSpan.FromMilliseconds(500), await waits.Reader.ReadAsync(timeout.Token));
        harness.Time.Advance(TimeSpan.FromMilliseconds(500));
        attempts.Add(await failing.NextAttemptAsync());
        Assert.Equal(TimeSpan.FromSeconds(1), await waits.Reader.ReadAsync(timeout.Token));
        failing.Answer = RecordingChannel.Delivered; // the channel is back
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        attempts.Add(await failing.NextAttemptAsync());
        attempts.Add(await failing.NextAttemptAsync());

        Assert.Equal(["Trigger", "Trigger", "Trigger", "Resolve"], attempts.Select(a => a.Split('|')[0]));
        Assert.Equal(["trigger", "resolve"], pagerDuty.Events.Select(e => e.EventAction));
        Assert.Equal(2, pagerDuty.Requests.Count); // PagerDuty was never retried for the other channel's failures
    }

    [Fact]
    public void TryEnqueue_OneChannelCannotRender_OthersQueuedAndIncidentOpened()
    {
        var broken = new RecordingChannel("broken") { RenderThrows = true };
        using var alerting = new AlertingFixture(otherChannels: [broken]);
        alerting.Fail(5);

        alerting.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal(AlertAction.Trigger, Assert.Single(alerting.Drain()).Action);
        Assert.Equal(0, alerting.Outbox.Count("broken"));
        Assert.Single(alerting.Store.ListOpenIncidents());
        var error = Assert.Single(alerting.Logs.GetSnapshot(), r => r.Id.Id == 5011);
        Assert.Contains("broken", error.Message, StringComparison.Ordinal);
    }

    private static AlertNotification Trigger(string dedupKey) =>
        AlertNotification.Noticed(dedupKey, "llmgate_test", "llmgate_test", "A test", new AlertNotice("a test notice", AlertSeverity.Critical), Now);
}
