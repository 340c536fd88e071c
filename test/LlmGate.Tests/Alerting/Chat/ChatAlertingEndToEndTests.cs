using System.ClientModel;
using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;
using LlmGate.Configuration;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;

namespace LlmGate.Tests.Alerting.Chat;

public sealed class ChatAlertingEndToEndTests
{
    private const string EveryChannel = """["pagerduty", "slack", "ms_teams", "discord"]""";

    [Fact]
    public async Task FailureStorm_PagedOnceAndResolved_NoFailureRateMessageInChat()
    {
        await using var fakes = await Fakes.StartAsync();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.FailWithStatus = 503;
        // Three seconds: three failures sent at once land in it even when a busy machine answers them far apart.
        await using var gateway = await ChatGateway.StartAsync(upstream, EveryChannel, "", fakes.Environment(), failureWindowSeconds: 3);
        var chat = gateway.Chat();

        var failures = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("hi")]))));
        Assert.All(failures, failure => Assert.Equal(503, failure.Status));

        // A machine's cold first call can cross the 0.2 s hang threshold and page on its own; the failure rate's page is asserted.
        static bool FailureRatePage(FakePagerDutyEvent e) => e.EventAction == "trigger" && e.RawBody.Contains("\"class\":\"llm_api_failure\"", StringComparison.Ordinal);
        await fakes.PagerDuty.WaitForEventsAsync(FailureRatePage, 1, ChatGateway.Patience);
        var dedupKey = fakes.PagerDuty.Events.First(FailureRatePage).DedupKey;
        await fakes.PagerDuty.WaitForEventsAsync(e => e.DedupKey == dedupKey && e.EventAction == "resolve", 1, ChatGateway.Patience); // once quiet

        Assert.Equal(["trigger", "resolve"], fakes.PagerDuty.Events.Where(e => e.DedupKey == dedupKey).Select(e => e.EventAction));
        Assert.Equal(FakeIncidentState.Resolved, fakes.PagerDuty.Incident(dedupKey!)!.State);
        foreach (var accepted in fakes.Chats.Select(c => c.Accepted))
        {
            Assert.DoesNotContain(accepted, m => FakeChatAlert.TypeOf(m) == AlertTypeNames.LlmApiFailure); // the failure rate pages alone
        }
    }

    [Fact]
    public async Task HangStorm_OneMessageAndOneResolvePerChannel_PagedOnce()
    {
        await using var fakes = await Fakes.StartAsync();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.ResponseDelay = TimeSpan.FromSeconds(1.5);
        await using var gateway = await ChatGateway.StartAsync(upstream, EveryChannel, "", fakes.Environment());
        var chat = gateway.Chat();

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => chat.CompleteChatAsync([new UserChatMessage("hi")])));
        foreach (var fake in fakes.Chats)
        {
            await fake.WaitForAcceptedAsync(m => FakeChatAlert.Is(m, AlertTypeNames.LlmRequestsHanging, resolved: true), 1, ChatGateway.Patience);
        }

        await fakes.PagerDuty.WaitForEventsAsync(2, ChatGateway.Patience);

        // Every resolve is in: any second trigger of the storm would have come before it.
        Assert.Equal(["trigger", "resolve"], fakes.PagerDuty.Events.Select(e => e.EventAction));
        Assert.Contains("\"class\":\"llm_request_hanging\"", fakes.PagerDuty.Events[0].RawBody, StringComparison.Ordinal);
        foreach (var fake in fakes.Chats)
        {
            var hanging = fake.Accepted.Where(m => FakeChatAlert.TypeOf(m) == AlertTypeNames.LlmRequestsHanging).ToList();
            Assert.Equal([false, true], hanging.Select(FakeChatAlert.IsResolved));
        }

        var slack = fakes.Slack.Accepted.Single(m => FakeChatAlert.Is(m, AlertTypeNames.LlmRequestsHanging, resolved: false)).Json;
        Assert.StartsWith("🔴 ", (string?)slack["blocks"]![0]!["text"]!["text"], StringComparison.Ordinal);
        Assert.All(fakes.Chats.SelectMany(c => c.Accepted), m => Assert.DoesNotContain("hi", m.Raw.Split('"'))); // no prompt
    }

    [Fact]
    public async Task HangStorm_SlackRateLimited_PagedAtOnceAndSlackGetsItOnceAfter()
    {
        await using var fakes = await Fakes.StartAsync();
        fakes.Slack.RateLimitNext(2, 1);
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.ResponseDelay = TimeSpan.FromSeconds(1.5);
        await using var gateway = await ChatGateway.StartAsync(upstream, """["pagerduty", "slack"]""", "", fakes.Environment());
        var chat = gateway.Chat();

        var calls = Task.WhenAll(Enumerable.Range(0, 2).Select(_ => chat.CompleteChatAsync([new UserChatMessage("hi")])));
        await fakes.PagerDuty.WaitForEventsAsync(1, ChatGateway.Patience);
        var slackAtPage = fakes.Slack.Accepted.Count; // Slack's lane waits two Retry-Afters of a second; PagerDuty's does not
        await calls;
        await fakes.Slack.Server.WaitForAcceptedAsync(m => FakeChatAlert.Is(m, AlertTypeNames.LlmRequestsHanging, resolved: true), 1, ChatGateway.Patience);

        Assert.Equal(0, slackAtPage);
        Assert.Equal("trigger", fakes.PagerDuty.Events[0].EventAction);
        Assert.Equal([429, 429, 200, 200], fakes.Slack.Server.Answers);
        Assert.Equal([false, true], fakes.Slack.Accepted.Select(FakeChatAlert.IsResolved)); // nothing lost, nothing twice
    }

    [Fact]
    public async Task AlertToWebhookUrl_TypeToItsWebhooks_OthersToDefault_NoUrlInLogsOrStatus()
    {
        await using var fakes = await Fakes.StartAsync();
        var hang1 = fakes.Slack.NewWebhookUrl();
        var hang2 = fakes.Slack.NewWebhookUrl();
        var revoked = new Uri(fakes.Slack.Server.Root, "/services/T0REVOKED/B0REVOKED/revokedtoken0123456789ab");
        await using var upstream = await FakeUpstream.StartAsync();
        var rejected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var environment = new Dictionary<string, string>(fakes.Environment())
        {
            ["SLACK_HANG_1"] = hang1.AbsoluteUri,
            ["SLACK_HANG_2"] = hang2.AbsoluteUri,
            ["SLACK_BUDGET"] = revoked.AbsoluteUri,
        };
        await using var gateway = await ChatGateway.StartAsync(
            upstream,
            """["slack"]""",
            """
              alert_to_webhook_url:
                llm_requests_hanging: [os.environ/SLACK_HANG_1, os.environ/SLACK_HANG_2]
                budget_alerts: os.environ/SLACK_BUDGET
            """,
            environment,
            line =>
            {
                if (line.Contains("not retried", StringComparison.Ordinal))
                {
                    rejected.TrySetResult();
                }
            });
        var notifier = gateway.Gateway.Services.GetRequiredService<AlertNotifier>();

        Assert.True(notifier.TryEnqueue(Notice("hang-1", AlertTypeNames.LlmRequestsHanging)));
        Assert.True(notifier.TryEnqueue(Notice("exceptions-1", AlertTypeNames.LlmExceptions)));
        Assert.True(notifier.TryEnqueue(Notice("budget-1", AlertTypeNames.BudgetAlerts)));
        await fakes.Slack.WaitForAcceptedAsync(1, ChatGateway.Patience, hang1);
        await fakes.Slack.WaitForAcceptedAsync(1, ChatGateway.Patience, hang2);
        await fakes.Slack.WaitForAcceptedAsync(1, ChatGateway.Patience, fakes.Slack.WebhookUrl);
        await rejected.Task.WaitAsync(ChatGateway.Patience);
        var status = await gateway.StatusAsync();

        Assert.Equal([AlertTypeNames.LlmRequestsHanging], fakes.Slack.AcceptedAt(hang1).Select(FakeChatAlert.TypeOf));
        Assert.Equal([AlertTypeNames.LlmRequestsHanging], fakes.Slack.AcceptedAt(hang2).Select(FakeChatAlert.TypeOf));
        Assert.Equal([AlertTypeNames.LlmExceptions], fakes.Slack.AcceptedAt(fakes.Slack.WebhookUrl).Select(FakeChatAlert.TypeOf));
        Assert.Contains(404, fakes.Slack.Server.Answers); // budget_alerts went to its own (revoked) webhook only
        var lanes = gateway.Gateway.Services.GetServices<IAlertChannel>().Select(c => c.Name).ToList();
        Assert.Equal(4, lanes.Count);
        Assert.Contains("slack", lanes);
        Assert.All(lanes.Where(l => l != "slack"), l => Assert.Matches("^slack-[0-9a-f]{8}$", l));
        Assert.Contains("no_service", status, StringComparison.Ordinal);
        var logs = gateway.AllLogText();
        Assert.Contains("no_service", logs, StringComparison.Ordinal);
        foreach (var url in new[] { fakes.Slack.WebhookUrl, hang1, hang2, revoked })
        {
            foreach (var secret in new[] { url.AbsolutePath, url.AbsolutePath.Split('/')[^1] })
            {
                Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
                Assert.DoesNotContain(secret, status, StringComparison.Ordinal);
            }
        }
    }

    private static AlertNotification Notice(string dedupKey, string type) =>
        AlertNotification.Noticed(dedupKey, type, type, $"A {type} test", new AlertNotice($"a {type} test", AlertSeverity.Warning), DateTimeOffset.UtcNow);

    private sealed class Fakes : IAsyncDisposable
    {
        private Fakes(FakePagerDuty pagerDuty, FakeSlack slack, FakeTeams teams, FakeDiscord discord)
        {
            PagerDuty = pagerDuty;
            Slack = slack;
            Teams = teams;
            Discord = discord;
        }

        public FakePagerDuty PagerDuty { get; }

        public FakeSlack Slack { get; }

        public FakeTeams Teams { get; }

        public FakeDiscord Discord { get; }

        public IReadOnlyList<FakeChatWebhook> Chats => [Slack.Server, Teams.Server, Discord.Server];

        public static async Task<Fakes> StartAsync() =>
            new(await FakePagerDuty.StartAsync(), await FakeSlack.StartAsync(), await FakeTeams.StartAsync(), await FakeDiscord.StartAsync());

        public Dictionary<string, string> Environment() => new()
        {
            ["PAGERDUTY_API_KEY"] = ChatGateway.RoutingKey,
            ["PAGERDUTY_EVENTS_URL"] = PagerDuty.EventsUrl.ToString(),
            ["SLACK_WEBHOOK_URL"] = Slack.WebhookUrl.AbsoluteUri,
            ["MS_TEAMS_WEBHOOK_URL"] = Teams.WebhookUrl.AbsoluteUri,
            ["DISCORD_WEBHOOK_URL"] = Discord.WebhookUrl.AbsoluteUri,
        };

        public async ValueTask DisposeAsync()
        {
            await PagerDuty.DisposeAsync();
            await Slack.DisposeAsync();
            await Teams.DisposeAsync();
            await Discord.DisposeAsync();
        }
    }
}
