using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;
using LlmGate.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Alerting.Delivery;

public sealed class AlertNotifierTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(Now);
    private readonly SqliteAlertOutbox _outbox;
    private readonly RecordingChannel _pagerDuty = new("pagerduty");
    private readonly RecordingChannel _slack = new("slack");

    public AlertNotifierTests() => _outbox = new SqliteAlertOutbox(SqliteAlertOutbox.PathIn(_directory.Path), _time);

    [Fact]
    public void TryEnqueue_Resolve_GoesWhereItsTriggerWentAndSaysWhatItSaid()
    {
        var notifier = Notifier(new AlertingOptions());
        var labels = AlertLabels.Of(AlertTypeNames.OutageAlerts, "llmgate_outage", "gpt-4o", deployment: "dep-1");
        Assert.True(notifier.TryEnqueue(Notice("outage-1", AlertTypeNames.OutageAlerts, labels)));
        _time.Advance(TimeSpan.FromMinutes(3));

        Assert.True(notifier.TryEnqueue(AlertNotification.Resolved("outage-1", "llmgate_outage", _time.GetUtcNow())));

        Assert.Equal(0, _outbox.Count("pagerduty"));
        Assert.Equal(2, _outbox.Count("slack"));
        var resolve = _slack.Rendered[^1];
        Assert.Equal(
            (AlertAction.Resolve, AlertTypeNames.OutageAlerts, "Minor service outage", Now, "dep-1"),
            (resolve.Action, resolve.Type, resolve.Title, resolve.OpenedAt, resolve.Labels[AlertLabels.Deployment]));
        Assert.Empty(_outbox.Notified("outage-1"));
    }

    [Fact]
    public void TryEnqueue_ResolveWithoutRecord_GoesToPagerDutyAsBeforeChannelsHadRecords()
    {
        var notifier = Notifier(new AlertingOptions());

        Assert.True(notifier.TryEnqueue(AlertNotification.Resolved("from-an-older-version", "llm_api_failure", Now)));

        Assert.Equal((1, 0), (_outbox.Count("pagerduty"), _outbox.Count("slack")));
    }

    [Fact]
    public void TryEnqueue_Silenced_HeldNotQueuedAndItsResolveDropsIt()
    {
        var notifier = Notifier(new AlertingOptions(), new SilenceKind("slack"));

        Assert.True(notifier.TryEnqueue(Notice("hang-1", AlertTypeNames.LlmRequestsHanging)));

        Assert.Equal((1, 0), (_outbox.Count("pagerduty"), _outbox.Count("slack")));
        var held = Assert.Single(_outbox.Held());
        Assert.Equal(("slack", "hang-1", "silence-1", true), (held.Channel, held.DedupKey, held.SilenceId, held.Resolvable));

        Assert.True(notifier.TryEnqueue(AlertNotification.Resolved("hang-1", "llm_request_hanging", Now)));

        Assert.Empty(_outbox.Held());
        Assert.Equal((2, 0), (_outbox.Count("pagerduty"), _outbox.Count("slack"))); // Slack never heard of it: no resolve either
    }

    [Fact]
    public void EndHold_AlertStillOpen_QueuedAndItsResolveFollows()
    {
        var notifier = Notifier(new AlertingOptions(), new SilenceKind("slack"));
        notifier.TryEnqueue(Notice("hang-1", AlertTypeNames.LlmRequestsHanging));

        Assert.True(_outbox.EndHold(Assert.Single(_outbox.Held()), deliver: true));
        notifier.TryEnqueue(AlertNotification.Resolved("hang-1", "llm_request_hanging", Now));

        Assert.Equal([AlertAction.Trigger, AlertAction.Resolve], Drain("slack"));
        Assert.False(_outbox.EndHold(new HeldEntry(0, "slack", "hang-1", "", AlertLabels.None, true, Now, "silence-1"), deliver: true));
    }

    [Fact]
    public void TryEnqueue_Report_NotRecordedSoNothingToResolve()
    {
        var notifier = Notifier(new AlertingOptions());

        notifier.TryEnqueue(Notice("daily-1", AlertTypeNames.DailyReports) with { Resolvable = false });

        Assert.Equal(1, _outbox.Count("slack"));
        Assert.Empty(_outbox.Notified("daily-1"));
    }

    public void Dispose()
    {
        _outbox.Dispose();
        _directory.Dispose();
    }

    private static AlertNotification Notice(string dedupKey, string type, IReadOnlyDictionary<string, string>? labels = null) =>
        AlertNotification.Noticed(dedupKey, type, "llmgate_test", "Minor service outage", new AlertNotice("a test", AlertSeverity.Warning), Now, labels);

    private AlertNotifier Notifier(AlertingOptions options, IAlertSilencer? silencer = null) =>
        new(_outbox, AlertRoutes.Create([_pagerDuty, _slack], options), silencer ?? NoSilences.Instance, NullLogger<AlertNotifier>.Instance);

    private List<AlertAction> Drain(string channel)
    {
        var actions = new List<AlertAction>();
        while (_outbox.PeekOldest(channel) is { } entry)
        {
            actions.Add(entry.Action);
            _outbox.Delete(entry.Id);
        }

        return actions;
    }

    private sealed class SilenceKind(string kind) : IAlertSilencer
    {
        public string? SilencedBy(AlertNotification notification, IAlertChannel channel) => channel.Kind == kind ? "silence-1" : null;
    }
}
