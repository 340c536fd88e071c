using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;
using LlmGate.Alerting.Silences;
using LlmGate.Tests.Alerting.Delivery;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Alerting.Silences;

/// <summary>The notifier asking the silence gate, the outbox holding, and the release loop ending holds, on a fake clock.</summary>
public sealed class SilenceReleaseTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly SqliteAlertOutbox _outbox;
    private readonly SilenceStore _store;
    private readonly AlertNotifier _notifier;
    private readonly SilenceReleaser _releaser;
    private readonly FakeLogCollector _logs = new();

    public SilenceReleaseTests()
    {
        _outbox = new SqliteAlertOutbox(SqliteAlertOutbox.PathIn(_directory.Path), _time);
        _store = new SilenceStore(_outbox, _time, NullLogger<SilenceStore>.Instance);
        var routes = AlertRoutes.ToEvery([new RecordingChannel("pagerduty"), new RecordingChannel("slack")]);
        _notifier = new AlertNotifier(_outbox, routes, new SilenceGate(_store, _time), NullLogger<AlertNotifier>.Instance);
        _releaser = new SilenceReleaser(_outbox, _store, routes, _time, new FakeLogger<SilenceReleaser>(_logs));
    }

    [Fact]
    public void Release_SilenceEndsWithAlertOpen_TriggerQueuedOnce()
    {
        var silence = Silence("class=llm_api_failure", TimeSpan.FromMinutes(30));
        _notifier.TryEnqueue(Failure("incident-1"));
        Assert.Equal(0, _outbox.Count());
        Assert.Equal(0, _releaser.ReleaseOnce()); // still silenced

        _time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(2, _releaser.ReleaseOnce());
        Assert.Equal(0, _releaser.ReleaseOnce());

        Assert.Equal(1, _outbox.Count("pagerduty"));
        Assert.Equal(1, _outbox.Count("slack"));
        var queued = _outbox.PeekOldest("pagerduty")!;
        Assert.Equal((AlertAction.Trigger, "incident-1"), (queued.Action, queued.DedupKey));
        Assert.Empty(_outbox.Held());
        var delivered = _logs.GetSnapshot().Where(r => r.Id.Id == 5253).ToList();
        Assert.Equal(2, delivered.Count);
        Assert.All(delivered, r => Assert.Contains(silence.Id, r.Message, StringComparison.Ordinal));
        Assert.All(delivered, r => Assert.DoesNotContain("Trigger|", r.Message, StringComparison.Ordinal)); // never the payload

        // Its resolve follows it, as for any trigger that went out.
        _notifier.TryEnqueue(AlertNotification.Resolved("incident-1", "llm_api_failure", _time.GetUtcNow()));
        Assert.Equal(2, _outbox.Count("pagerduty"));
    }

    [Fact]
    public void Release_AlertResolvedDuringSilence_NothingSentEver()
    {
        Silence("class=llm_api_failure", TimeSpan.FromMinutes(30));
        _notifier.TryEnqueue(Failure("incident-1"));
        _time.Advance(TimeSpan.FromMinutes(10));

        _notifier.TryEnqueue(AlertNotification.Resolved("incident-1", "llm_api_failure", _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromMinutes(30));
        _releaser.ReleaseOnce();

        Assert.Equal(0, _outbox.Count());
        Assert.Empty(_outbox.Held());
        Assert.Empty(_outbox.Notified("incident-1"));
    }

    [Fact]
    public void Release_ReportHeld_DroppedWhenSilenceEnds()
    {
        Silence("alert_type=daily_reports", TimeSpan.FromMinutes(30));
        var report = AlertNotification.Noticed("report-1", "daily_reports", "daily_reports", "Daily report",
            new AlertNotice("top failing deployments", AlertSeverity.Info), _time.GetUtcNow()) with { Resolvable = false };
        _notifier.TryEnqueue(report);
        Assert.Equal(2, _outbox.Held().Count);
        Assert.Equal(0, _releaser.ReleaseOnce()); // its labels were kept: the silence still covers it

        _time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(2, _releaser.ReleaseOnce());

        Assert.Equal(0, _outbox.Count());
        Assert.Empty(_outbox.Held());
        Assert.Equal(2, _logs.GetSnapshot().Count(r => r.Id.Id == 5254));
    }

    [Fact]
    public void TryEnqueue_SilenceOnSlackChannel_PagerDutyNotHeld()
    {
        Silence("channel=slack", TimeSpan.FromMinutes(30));

        _notifier.TryEnqueue(Failure("incident-1"));

        Assert.Equal(1, _outbox.Count("pagerduty"));
        Assert.Equal(0, _outbox.Count("slack"));
        Assert.Equal("slack", Assert.Single(_outbox.Held()).Channel);
        Assert.Equal(new Dictionary<string, int> { ["slack"] = 1 }, _outbox.HeldCounts());
    }

    [Fact]
    public void TryEnqueue_SilencePendingOrOtherClass_NotHeld()
    {
        _store.Put(TestSilences.Create("class=llm_api_failure", Start.AddMinutes(5), TimeSpan.FromMinutes(30)));
        Silence("class=llm_request_hanging", TimeSpan.FromMinutes(30));

        _notifier.TryEnqueue(Failure("incident-1"));

        Assert.Equal(2, _outbox.Count());
        Assert.Empty(_outbox.Held());
    }

    [Fact]
    public void Release_SilenceExpiredEarly_HeldTriggerQueued()
    {
        var silence = Silence("model_group=gpt-4o", TimeSpan.FromHours(2));
        _notifier.TryEnqueue(Failure("incident-1"));
        _time.Advance(TimeSpan.FromMinutes(1));

        _store.Expire(silence.Id);
        _releaser.ReleaseOnce();

        Assert.Equal(2, _outbox.Count());
    }

    public void Dispose()
    {
        _releaser.Dispose();
        _outbox.Dispose();
        _directory.Dispose();
    }

    private Silence Silence(string matchers, TimeSpan length)
    {
        var silence = TestSilences.Create(matchers, _time.GetUtcNow(), length);
        _store.Put(silence);
        return silence;
    }

    private AlertNotification Failure(string dedupKey) =>
        AlertNotification.Noticed(dedupKey, "llm_api_failure", "llm_api_failure", "High LLM API Failure Rate",
            new AlertNotice("5 failures", AlertSeverity.Critical), _time.GetUtcNow(),
            AlertLabels.Of("llm_api_failure", "llm_api_failure", "gpt-4o", modelGroup: "gpt-4o"));
}
