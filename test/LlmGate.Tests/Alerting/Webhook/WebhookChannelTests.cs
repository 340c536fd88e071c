using System.Text;
using System.Text.Json;
using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;
using LlmGate.Alerting.Messages;
using LlmGate.Alerting.Webhook;
using LlmGate.Configuration;
using LlmGate.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Alerting.Webhook;

public sealed class WebhookChannelTests
{
    private const string Secret = "whsec-4f9c2a7e1b3d5f60";
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SendAsync_SecretSet_ReceiverVerifiesSignatureAndGetsHeaders()
    {
        await using var receiver = await FakeWebhookReceiver.StartAsync(Secret);
        using var http = new HttpClient();
        var channel = Channel(http, receiver.Url, Secret);
        var payload = channel.Render(Outage());

        var answer = await channel.SendAsync(payload, CancellationToken.None);

        Assert.True(answer.Delivered, answer.Description);
        Assert.Equal(200, answer.StatusCode);
        var delivery = Assert.Single(receiver.Deliveries);
        Assert.Equal(0, receiver.SignatureFailures);
        Assert.Equal(payload, delivery.RawBody);
        Assert.Equal(FakeWebhookReceiver.SignatureOf(Encoding.UTF8.GetBytes(payload), Secret), delivery.Signature);
        Assert.StartsWith("application/json", delivery.ContentType, StringComparison.Ordinal);
        Assert.Equal(AlertTypeNames.OutageAlerts, delivery.Event);
        Assert.Equal("outage-key", delivery.Delivery);
    }

    [Fact]
    public async Task SendAsync_NoSecret_SentUnsigned()
    {
        await using var receiver = await FakeWebhookReceiver.StartAsync();
        using var http = new HttpClient();
        var channel = Channel(http, receiver.Url, secret: null);

        var answer = await channel.SendAsync(channel.Render(Outage()), CancellationToken.None);

        Assert.True(answer.Delivered);
        Assert.Null(Assert.Single(receiver.Deliveries).Signature);
    }

    [Fact]
    public async Task Sender_WrongSecret_ReceiverRefusesAndDroppedWithoutSecretInLogs()
    {
        await using var receiver = await FakeWebhookReceiver.StartAsync(Secret);
        using var http = new HttpClient();
        var channel = Channel(http, receiver.Url, "whsec-not-the-right-one");
        using var lane = new ChannelLane(channel);
        lane.Enqueue(Outage());

        await lane.DeliverNextAsync();

        Assert.Equal(1, receiver.SignatureFailures);
        Assert.Empty(receiver.Deliveries);
        Assert.Equal(0, lane.Outbox.Count(WebhookChannel.ChannelName)); // a 401 is final: retrying would not fix the secret
        var logs = lane.AllLogText();
        Assert.Contains("401", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec-", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeWebhookReceiver.Path, logs, StringComparison.Ordinal);
        Assert.DoesNotContain("T0KEN", lane.DeliveryLog.Last!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(429, true)]
    [InlineData(503, true)]
    [InlineData(500, true)]
    [InlineData(408, true)]
    [InlineData(400, false)]
    [InlineData(404, false)]
    public async Task SendAsync_ErrorStatus_RetryableOnlyFor408429And5xx(int status, bool retryable)
    {
        await using var receiver = await FakeWebhookReceiver.StartAsync();
        receiver.FailNext(1, status, status == 429 ? TimeSpan.FromSeconds(7) : null);
        using var http = new HttpClient();
        var channel = Channel(http, receiver.Url, null);

        var answer = await channel.SendAsync(channel.Render(Outage()), CancellationToken.None);

        Assert.False(answer.Delivered);
        Assert.Equal(retryable, answer.Retryable);
        Assert.Equal(status, answer.StatusCode);
        Assert.Equal(status == 429 ? TimeSpan.FromSeconds(7) : null, answer.RetryAfter);
    }

    [Fact]
    public async Task Sender_429Then200_DeliveredOnceAfterRetryAfter()
    {
        await using var receiver = await FakeWebhookReceiver.StartAsync(Secret);
        receiver.FailNext(1, 429, TimeSpan.FromSeconds(30));
        using var http = new HttpClient();
        using var lane = new ChannelLane(Channel(http, receiver.Url, Secret));
        lane.Enqueue(Outage());

        await lane.DeliverNextAsync();
        var entry = lane.Outbox.PeekOldest(WebhookChannel.ChannelName);
        Assert.NotNull(entry);
        Assert.Equal(lane.Time.GetUtcNow() + TimeSpan.FromSeconds(30), entry.NextAttemptAt);
        lane.Time.Advance(TimeSpan.FromSeconds(30));
        await lane.DeliverNextAsync();

        Assert.Single(receiver.Deliveries);
        Assert.Equal(2, receiver.Requests);
        Assert.Equal(0, lane.Outbox.Count(WebhookChannel.ChannelName));
    }

    [Fact]
    public async Task SendAsync_NobodyListening_RetryableAndNoUrlInDescription()
    {
        using var http = new HttpClient();
        var url = new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}/hooks/T0KEN-secret-path");
        var channel = Channel(http, url, Secret);

        var answer = await channel.SendAsync(channel.Render(Outage()), CancellationToken.None);

        Assert.False(answer.Delivered);
        Assert.True(answer.Retryable);
        Assert.Null(answer.StatusCode);
        Assert.DoesNotContain("T0KEN", answer.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_BudgetTrigger_LiteLlmWebhookEventFieldForField()
    {
        var channel = Channel(new HttpClient(), new Uri("http://127.0.0.1:9/hook"), null);
        var budget = new BudgetEvent("threshold_crossed", "key", "Key Budget: Threshold Crossed", 0.06)
        {
            MaxBudget = 0.07,
            Token = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            KeyAlias = "app",
            TeamId = "team-1",
        };
        var notification = AlertNotification.Noticed(
            "budget-key", AlertTypeNames.BudgetAlerts, "llmgate_budget", "Budget alert", new AlertNotice("Key app has used 85 % of its budget", AlertSeverity.Warning) { Budget = budget }, Now);

        using var json = JsonDocument.Parse(channel.Render(notification));

        var root = json.RootElement;
        Assert.Equal(
            ["spend", "max_budget", "soft_budget", "token", "customer_id", "user_id", "team_id", "team_alias", "user_email", "key_alias",
             "projected_exceeded_date", "projected_spend", "event", "event_group", "event_message", "alert_type", "dedup_key", "status"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.06, root.GetProperty("spend").GetDouble());
        Assert.Equal(0.07, root.GetProperty("max_budget").GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("soft_budget").ValueKind);
        Assert.Equal(budget.Token, root.GetProperty("token").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("user_id").ValueKind);
        Assert.Equal("team-1", root.GetProperty("team_id").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("user_email").ValueKind);
        Assert.Equal("app", root.GetProperty("key_alias").GetString());
        Assert.Equal("threshold_crossed", root.GetProperty("event").GetString());
        Assert.Equal("key", root.GetProperty("event_group").GetString());
        Assert.Equal("Key Budget: Threshold Crossed", root.GetProperty("event_message").GetString());
        Assert.Equal("budget_alerts", root.GetProperty("alert_type").GetString());
        Assert.Equal("budget-key", root.GetProperty("dedup_key").GetString());
        Assert.Equal("firing", root.GetProperty("status").GetString());
    }

    [Fact]
    public void Render_Notice_LlmGateDocumentWithFactsLabelsAndLinks()
    {
        var options = new AlertingOptions
        {
            ProxyBaseUrl = new Uri("https://gate.example.com/"),
            RunbookUrls = new Dictionary<string, Uri> { [AlertTypeNames.OutageAlerts] = new("https://wiki.example.com/outage") },
        };
        var channel = new WebhookChannel(new WebhookClient(new HttpClient(), TimeProvider.System), new WebhookOptions(new Uri("http://127.0.0.1:9/hook"), null), new AlertMessageBuilder(options));

        using var json = JsonDocument.Parse(channel.Render(Outage()));

        var root = json.RootElement;
        Assert.Equal(
            ["version", "source", "status", "alert_type", "class", "dedup_key", "title", "level", "severity", "summary", "timestamp", "labels", "facts", "recent_errors", "links"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("1", root.GetProperty("version").GetString());
        Assert.Equal("llmgate", root.GetProperty("source").GetString());
        Assert.Equal("firing", root.GetProperty("status").GetString());
        Assert.Equal("outage_alerts", root.GetProperty("alert_type").GetString());
        Assert.Equal("llmgate_outage", root.GetProperty("class").GetString());
        Assert.Equal("Minor service outage", root.GetProperty("title").GetString());
        Assert.Equal("Medium", root.GetProperty("level").GetString());
        Assert.Equal("warning", root.GetProperty("severity").GetString());
        Assert.Equal("2026-03-01T12:00:00.000Z", root.GetProperty("timestamp").GetString());
        Assert.Equal("d1", root.GetProperty("labels").GetProperty("deployment").GetString());
        Assert.Contains(root.GetProperty("facts").EnumerateArray(), f => f.GetProperty("name").GetString() == "Failures" && f.GetProperty("value").GetString() == "5 in 60 s");
        Assert.Equal(
            ["https://gate.example.com/alerting/status", "https://wiki.example.com/outage"],
            root.GetProperty("links").EnumerateArray().Select(l => l.GetProperty("url").GetString()));
    }

    [Fact]
    public void Render_Resolve_ResolvedStatusAndTitle()
    {
        var channel = Channel(new HttpClient(), new Uri("http://127.0.0.1:9/hook"), null);
        var trigger = Outage();
        var resolve = AlertNotification.Resolved(trigger.DedupKey, trigger.ClassName, Now.AddMinutes(3)) with
        {
            Type = trigger.Type,
            Title = trigger.Title,
            Labels = trigger.Labels,
            OpenedAt = trigger.At,
        };

        using var json = JsonDocument.Parse(channel.Render(resolve));

        Assert.Equal("resolved", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("Resolved: Minor service outage (deployment:d1)", json.RootElement.GetProperty("title").GetString());
        Assert.Equal("outage-key", json.RootElement.GetProperty("dedup_key").GetString());
    }

    private static WebhookChannel Channel(HttpClient http, Uri url, string? secret) =>
        new(new WebhookClient(http, new FakeTimeProvider(Now)), new WebhookOptions(url, secret), new AlertMessageBuilder(new AlertingOptions()));

    private static AlertNotification Outage() => AlertNotification.Noticed(
        "outage-key",
        AlertTypeNames.OutageAlerts,
        "llmgate_outage",
        "Minor service outage",
        new AlertNotice("Deployment d1 had 5 failures in 60 s", AlertSeverity.Warning) { Facts = [new AlertFact("Failures", "5 in 60 s")] },
        Now,
        AlertLabels.Of(AlertTypeNames.OutageAlerts, "llmgate_outage", "deployment:d1", deployment: "d1", severity: AlertSeverity.Warning));
}
