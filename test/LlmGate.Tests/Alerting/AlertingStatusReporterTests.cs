using System.Text.Json;
using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;
using LlmGate.Alerting.PagerDuty;
using LlmGate.Tests.Alerting.Delivery;

namespace LlmGate.Tests.Alerting;

public sealed class AlertingStatusReporterTests
{
    [Fact]
    public void Snapshot_OneChannelFailing_ItsLaneAndFailuresShownBesidePagerDuty()
    {
        using var alerting = new AlertingFixture(otherChannels: [new RecordingChannel("webhook")]);
        var deliveries = new DeliveryLog();
        var reporter = new AlertingStatusReporter(
            alerting.Options, alerting.Scopes, alerting.Store, alerting.Registry, alerting.Outbox, deliveries, alerting.Channels, alerting.Time);
        alerting.Fail(5);
        alerting.RunFor(TimeSpan.FromSeconds(1)); // a trigger for each channel
        var queuedAt = alerting.Time.GetUtcNow();
        var pagerDutyRow = alerting.Drain().Single(); // PagerDuty took it
        var key = pagerDutyRow.DedupKey;
        deliveries.Record(new DeliveryResult(queuedAt, PagerDutyChannel.ChannelName, AlertAction.Trigger, key, true, 202, "Event processed"));
        alerting.Time.Advance(TimeSpan.FromSeconds(1));
        deliveries.Record(new DeliveryResult(alerting.Time.GetUtcNow(), "webhook", AlertAction.Trigger, key, false, 503, "unavailable"));
        deliveries.Record(new DeliveryResult(alerting.Time.GetUtcNow(), "webhook", AlertAction.Trigger, key, false, null, "no answer within 10 s"));

        var status = reporter.Snapshot();

        Assert.Equal(1, status.OutboxDepth);
        Assert.Equal(("webhook", (int?)null), (status.LastDelivery!.Channel, status.LastDelivery.StatusCode));
        var channels = status.Channels!;
        Assert.Equal([PagerDutyChannel.ChannelName, "webhook"], channels.Select(c => c.Name));
        var pagerDuty = channels[0];
        Assert.Equal((0, (DateTimeOffset?)null, 0, 202), (pagerDuty.OutboxDepth, pagerDuty.OldestQueuedAt, pagerDuty.ConsecutiveFailures, pagerDuty.LastDelivery!.StatusCode));
        Assert.Null(pagerDuty.LastFailure);
        var webhook = channels[1];
        Assert.Equal((1, (DateTimeOffset?)queuedAt, 2), (webhook.OutboxDepth, webhook.OldestQueuedAt, webhook.ConsecutiveFailures));
        Assert.Same(webhook.LastDelivery, webhook.LastFailure);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(status, AlertingJsonContext.Default.AlertingStatus));
        Assert.Equal(1, json.RootElement.GetProperty("outbox_depth").GetInt32());
        Assert.Equal("trigger", json.RootElement.GetProperty("last_delivery").GetProperty("action").GetString());
        var webhookJson = json.RootElement.GetProperty("channels")[1];
        Assert.Equal(2, webhookJson.GetProperty("consecutive_failures").GetInt32());
        Assert.Equal("no answer within 10 s", webhookJson.GetProperty("last_failure").GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.String, webhookJson.GetProperty("oldest_queued_at").ValueKind);
    }

    [Fact]
    public void Record_DeliveredAfterFailures_ConsecutiveFailuresBackToZeroLastFailureKept()
    {
        var deliveries = new DeliveryLog();
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var failed = new DeliveryResult(at, "webhook", AlertAction.Trigger, "k", false, 500, "down");
        deliveries.Record(failed);
        deliveries.Record(failed with { At = at.AddSeconds(1) });
        deliveries.Record(failed with { At = at.AddSeconds(2), Delivered = true, StatusCode = 200 });

        var webhook = deliveries.For("webhook");

        Assert.Equal((0, at.AddSeconds(1), 200), (webhook.ConsecutiveFailures, webhook.LastFailure!.At, webhook.LastDelivery!.StatusCode));
        Assert.Equal(0, deliveries.For("pagerduty").ConsecutiveFailures);
    }
}
