using System.Text.Json;
using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;
using LlmGate.Alerting.PagerDuty;
using LlmGate.Calls;
using LlmGate.Testing;
using LlmGate.Tests.Alerting.Delivery;

namespace LlmGate.Tests.Alerting;

public sealed class AlertDetectorTests
{
    [Theory]
    [InlineData(4, 0)]
    [InlineData(5, 1)]
    [InlineData(50, 1)]
    public void Evaluate_FailuresAgainstThresholdOfFive_TriggersOnlyAtThreshold(int failures, int triggers)
    {
        using var alerting = new AlertingFixture();
        alerting.Fail(failures);
        alerting.Detector.Evaluate();

        var events = alerting.Drain();
        Assert.Equal(triggers, events.Count(e => e.Action == AlertAction.Trigger));
    }

    [Fact]
    public void Evaluate_ThresholdReachedOnlyIfOldestEventStillInWindow_EdgeIsExclusive()
    {
        using var alerting = new AlertingFixture();
        alerting.Fail(1);
        alerting.Time.Advance(TimeSpan.FromSeconds(30));
        alerting.Fail(3);
        alerting.Time.Advance(TimeSpan.FromSeconds(30)); // the first failure is now exactly 60 s old: outside
        alerting.Fail(1);
        alerting.Detector.Evaluate();
        Assert.Empty(alerting.Drain());

        alerting.Fail(1);
        alerting.Detector.Evaluate();
        Assert.Single(alerting.Drain());
    }

    [Fact]
    public void Evaluate_FiveWithinTheWindowButNeverFiveAtATick_StillTriggers()
    {
        using var alerting = new AlertingFixture();
        alerting.Time.Advance(TimeSpan.FromSeconds(0.5));
        alerting.Fail(2);
        alerting.Time.Advance(TimeSpan.FromSeconds(0.5));
        alerting.Detector.Evaluate();
        Assert.Empty(alerting.Drain()); // two of five so far

        alerting.Time.Advance(TimeSpan.FromSeconds(59.3));
        alerting.Fail(3); // five within 60 s; at the next tick the first two have left
        alerting.Time.Advance(TimeSpan.FromSeconds(0.7));
        Assert.Equal(3, alerting.Count(AlertKind.Failure));
        alerting.Detector.Evaluate();

        var trigger = Assert.Single(alerting.Drain());
        Assert.Equal(AlertAction.Trigger, trigger.Action);
        Assert.Contains("5 in the last 60 seconds.", trigger.Payload, StringComparison.Ordinal); // the count judged, not the 3 left
    }

    [Fact]
    public void Evaluate_ThresholdReachedWithoutNewEvent_TimerStillEvaluates()
    {
        using var alerting = new AlertingFixture();
        alerting.Fail(5);
        Assert.Empty(alerting.Drain()); // recording alone sends nothing

        alerting.RunFor(TimeSpan.FromSeconds(1));

        Assert.Single(alerting.Drain());
    }

    [Fact]
    public void Evaluate_IncidentOpenedThenResolved_EachTellsTheConsoleOnce()
    {
        using var alerting = new AlertingFixture();
        var change = alerting.IncidentChanges.Next;
        alerting.Fail(4);
        alerting.Detector.Evaluate();
        Assert.False(change.IsCompleted); // below the threshold: nothing opened

        alerting.Fail(1);
        alerting.Detector.Evaluate();
        Assert.True(change.IsCompleted); // opened

        change = alerting.IncidentChanges.Next;
        alerting.Fail(3);
        alerting.Detector.Evaluate();
        Assert.False(change.IsCompleted); // still open: no change to show

        alerting.RunFor(alerting.Options.FailureWindow * 3);
        Assert.True(change.IsCompleted); // resolved
        Assert.Equal([AlertAction.Trigger, AlertAction.Resolve], alerting.Drain().Select(e => e.Action));
    }

    [Fact]
    public void Evaluate_TenMinuteOutageAtFiftyFailuresPerSecond_OneTriggerThenOneResolve()
    {
        var options = AlertingFixture.DefaultOptions() with { FailureThreshold = 60, FailureWindow = TimeSpan.FromSeconds(60) };
        using var alerting = new AlertingFixture(options);
        for (var second = 0; second < 600; second++)
        {
            alerting.Fail(50);
            alerting.RunFor(TimeSpan.FromSeconds(1));
        }

        var duringOutage = alerting.Drain();
        Assert.Equal(AlertAction.Trigger, Assert.Single(duringOutage).Action);

        alerting.RunFor(TimeSpan.FromSeconds(60)); // the window empties: quiet starts, but not for a full window yet
        Assert.Empty(alerting.Drain());

        alerting.RunFor(TimeSpan.FromSeconds(180));
        var afterRecovery = alerting.Drain();
        var resolve = Assert.Single(afterRecovery);
        Assert.Equal(AlertAction.Resolve, resolve.Action);
        Assert.Equal(duringOutage[0].DedupKey, resolve.DedupKey);
        Assert.Empty(alerting.Store.ListOpenIncidents());
    }

    [Fact]
    public void Restart_WithOpenIncident_ResolvesAfterAQuietWindowWithoutNewTrigger()
    {
        var before = new AlertingFixture();
        before.Fail(5);
        before.RunFor(TimeSpan.FromSeconds(1));
        var trigger = Assert.Single(before.Drain());

        using var after = before.Restart();
        after.RunFor(TimeSpan.FromSeconds(59));
        Assert.Empty(after.Drain()); // still open, not a full quiet window yet, and never re-triggered

        after.RunFor(TimeSpan.FromSeconds(2));
        var resolve = Assert.Single(after.Drain());
        Assert.Equal(AlertAction.Resolve, resolve.Action);
        Assert.Equal(trigger.DedupKey, resolve.DedupKey);
    }

    [Fact]
    public void Restart_IncidentResolvedBeforeStop_IsNotResolvedAgain()
    {
        var before = new AlertingFixture();
        before.Fail(5);
        before.RunFor(TimeSpan.FromSeconds(121));
        Assert.Equal([AlertAction.Trigger, AlertAction.Resolve], before.Drain().Select(e => e.Action));

        using var after = before.Restart();
        after.RunFor(TimeSpan.FromSeconds(120));

        Assert.Empty(after.Drain());
    }

    [Fact]
    public void Evaluate_BelowThresholdForLessThanAWindow_DoesNotResolve()
    {
        using var alerting = new AlertingFixture();
        alerting.Fail(5);
        alerting.RunFor(TimeSpan.FromSeconds(1));
        Assert.Single(alerting.Drain());

        alerting.RunFor(TimeSpan.FromSeconds(100)); // below since 60 s: 41 s of quiet
        alerting.Fail(5); // breaches again: the quiet period starts over
        alerting.RunFor(TimeSpan.FromSeconds(100)); // below again since ~t=161 s: 40 s of quiet
        Assert.Empty(alerting.Drain());

        alerting.RunFor(TimeSpan.FromSeconds(30));
        Assert.Equal(AlertAction.Resolve, Assert.Single(alerting.Drain()).Action);
    }

    [Fact]
    public void Evaluate_NewBreachAfterResolve_OpensANewIncidentWithTheSameKey()
    {
        using var alerting = new AlertingFixture();
        alerting.Fail(5);
        alerting.RunFor(TimeSpan.FromSeconds(200));
        alerting.Fail(5);
        alerting.RunFor(TimeSpan.FromSeconds(1));

        var events = alerting.Drain();
        Assert.Equal([AlertAction.Trigger, AlertAction.Resolve, AlertAction.Trigger], events.Select(e => e.Action));
        Assert.Single(events.Select(e => e.DedupKey).Distinct());
    }

    [Fact]
    public void Evaluate_PerModelGroup_SeparateIncidentsPerGroup()
    {
        var options = AlertingFixture.DefaultOptions() with { PerModelGroup = true };
        using var alerting = new AlertingFixture(options);
        alerting.Fail(5, "gpt-4o");
        alerting.Fail(4, "claude");
        alerting.RunFor(TimeSpan.FromSeconds(1));

        var first = Assert.Single(alerting.Drain());
        Assert.Equal(DedupKeys.For(AlertRule.ForFailures(options), "gpt-4o"), first.DedupKey);
        using (var body = JsonDocument.Parse(first.Payload))
        {
            Assert.Equal("gpt-4o", body.RootElement.GetProperty("payload").GetProperty("group").GetString());
        }

        alerting.Fail(1, "claude");
        alerting.RunFor(TimeSpan.FromSeconds(1));
        var second = Assert.Single(alerting.Drain());
        Assert.Equal(DedupKeys.For(AlertRule.ForFailures(options), "claude"), second.DedupKey);
        Assert.Equal(2, alerting.Store.ListOpenIncidents().Count);
    }

    [Fact]
    public void Evaluate_HangingRequestsBelowHangingThresholdFails_NoTrigger()
    {
        var options = AlertingFixture.DefaultOptions() with { HangingThresholdFails = 3 };
        using var alerting = new AlertingFixture(options);
        var calls = Enumerable.Range(0, 3).Select(_ => alerting.Calls.StartRouted("gpt-4o", "d1", "openai", stream: false)).ToList();
        calls[0].Completed();
        alerting.RunFor(TimeSpan.FromSeconds(40));
        Assert.Empty(alerting.Drain()); // two hang, three are needed

        alerting.Calls.StartRouted("gpt-4o", "d1", "openai", stream: true);
        alerting.RunFor(TimeSpan.FromSeconds(31));
        var trigger = Assert.Single(alerting.Drain());
        using var body = JsonDocument.Parse(trigger.Payload);
        Assert.Equal(AlertRule.HangClass, body.RootElement.GetProperty("payload").GetProperty("class").GetString());
        Assert.StartsWith("High Number of Hanging LLM Requests: 3 in the last 600 seconds.", body.RootElement.GetProperty("payload").GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_SeedConfigAndOneOrdinaryRequest_PagesHangingOnce()
    {
        var options = AlertingFixture.DefaultOptions() with
        {
            FailureThreshold = 1,
            FailureWindow = TimeSpan.FromSeconds(10),
            HangingThreshold = TimeSpan.FromSeconds(0.0000001),
            HangingWindow = TimeSpan.FromSeconds(10),
        };
        using var alerting = new AlertingFixture(options);
        var call = alerting.Calls.StartRouted("gpt-4o", "d1", "openai", stream: false);
        alerting.Time.Advance(TimeSpan.FromMilliseconds(400));
        call.Completed();
        alerting.RunFor(TimeSpan.FromSeconds(5));

        var trigger = Assert.Single(alerting.Drain());
        using var body = JsonDocument.Parse(trigger.Payload);
        Assert.StartsWith("High Number of Hanging LLM Requests: 1 in the last 10 seconds.", body.RootElement.GetProperty("payload").GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal(0.0000001m, body.RootElement.GetProperty("payload").GetProperty("custom_details").GetProperty("hanging_threshold_seconds").GetDecimal());
    }

    [Fact]
    public void Evaluate_CancelledRequests_NeverPage()
    {
        var options = AlertingFixture.DefaultOptions() with { FailureThreshold = 1 };
        using var alerting = new AlertingFixture(options);
        for (var i = 0; i < 100; i++)
        {
            alerting.Calls.StartRouted("gpt-4o", "d1", "openai", stream: true).Cancelled();
        }

        alerting.RunFor(TimeSpan.FromSeconds(5));

        Assert.Empty(alerting.Drain());
    }

    [Fact]
    public void Evaluate_FailuresDuringAnOpenIncident_AreStillCounted()
    {
        using var alerting = new AlertingFixture();
        alerting.Fail(5);
        alerting.RunFor(TimeSpan.FromSeconds(1));
        alerting.Fail(7);
        alerting.RunFor(TimeSpan.FromSeconds(1));

        Assert.Single(alerting.Drain());
        Assert.Equal(12, alerting.Count(AlertKind.Failure));
    }

    [Fact]
    public void Evaluate_TwoDetectorsSharingAStore_OnlyOneTriggers()
    {
        using var alerting = new AlertingFixture();
        using var directory = new TempDirectory();
        using var otherOutbox = new SqliteAlertOutbox(SqliteAlertOutbox.PathIn(directory.Path), alerting.Time);
        var otherNotifier = new AlertNotifier(otherOutbox, alerting.Channels, new Microsoft.Extensions.Logging.Testing.FakeLogger<AlertNotifier>());
        var otherReplica = new AlertDetector(
            alerting.Registry, alerting.Store, alerting.Scopes, alerting.Options, otherOutbox, otherNotifier, alerting.Time, new Microsoft.Extensions.Logging.Testing.FakeLogger<AlertDetector>());
        alerting.Fail(5);
        alerting.Time.Advance(TimeSpan.FromSeconds(1));

        otherReplica.Evaluate();
        alerting.Detector.Evaluate();

        Assert.Equal(1, otherOutbox.Count());
        Assert.Empty(alerting.Drain());
    }

    [Fact]
    public void Evaluate_NoPagerDutyConfigured_OtherChannelNotifiedWithTheWindow()
    {
        var channel = new RecordingChannel();
        using var alerting = new AlertingFixture(AlertingFixture.DefaultOptions() with { PagerDuty = null }, otherChannels: [channel]);
        alerting.Fail(5);
        alerting.RunFor(TimeSpan.FromSeconds(1));
        alerting.RunFor(TimeSpan.FromSeconds(120));

        Assert.Equal([AlertAction.Trigger, AlertAction.Resolve], channel.Rendered.Select(n => n.Action));
        var trigger = channel.Rendered[0];
        var dedupKey = DedupKeys.For(AlertRule.ForFailures(alerting.Options), AlertScopes.Gateway);
        Assert.Equal((dedupKey, AlertRule.FailureClass, alerting.Time.Start.AddSeconds(1)), (trigger.DedupKey, trigger.ClassName, trigger.At));
        var breach = trigger.Breach!;
        Assert.Equal((AlertKind.Failure, 5, 5, AlertScopes.Gateway), (breach.Rule.Kind, breach.Rule.Threshold, breach.Window.Count, breach.Scope));
        Assert.Equal(5, breach.Window.RecentErrors.Count);
        Assert.Equal((dedupKey, AlertRule.FailureClass), (channel.Rendered[1].DedupKey, channel.Rendered[1].ClassName));
        Assert.Equal(2, alerting.Outbox.Count("recording"));
        Assert.Empty(alerting.Drain()); // nothing for PagerDuty
    }
}
