using System.Threading.Channels;
using LlmGate.Alerting;
using LlmGate.Alerting.Chat;
using LlmGate.Alerting.Delivery;
using LlmGate.Configuration;
using LlmGate.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmGate.Tests.Alerting.Chat;

public sealed class SlackOutageTests
{
    [Fact]
    public async Task Deliver_SlackDownForMinutes_PagedAtOnceAndSlackGetsItOnceWhenBack()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var slack = await FakeSlack.StartAsync();
        slack.SetDown(true);
        await using var harness = SenderHarness.Create(pagerDuty);
        using var http = new HttpClient();
        var channel = new SlackChannel(slack.WebhookUrl, isDefault: true, new HashSet<string>(), new WebhookClient(http, harness.Time), ChatSamples.Messages);
        var notifier = new AlertNotifier(harness.Outbox, [harness.Channel, channel], NullLogger<AlertNotifier>.Instance);
        var waits = Channel.CreateUnbounded<TimeSpan>();
        await harness.StartAsync();
        await harness.StartSenderAsync(channel, wait => waits.Writer.TryWrite(wait));

        Assert.True(notifier.TryEnqueue(ChatSamples.Exceptions() with { Type = AlertTypeNames.LlmRequestsHanging }));
        await pagerDuty.WaitForEventsAsync(1, SenderHarness.Patience); // the clock has not moved: no wait for Slack's lane

        using var timeout = new CancellationTokenSource(SenderHarness.Patience);
        var down = TimeSpan.Zero;
        while (true)
        {
            var wait = await waits.Reader.ReadAsync(timeout.Token); // set once Slack's 503 is back
            down += wait;
            if (down >= TimeSpan.FromMinutes(2))
            {
                slack.SetDown(false); // back for the attempt this wait leads to
                harness.Time.Advance(wait);
                break;
            }

            harness.Time.Advance(wait);
        }

        await slack.WaitForAcceptedAsync(1, SenderHarness.Patience);

        Assert.Equal("trigger", Assert.Single(pagerDuty.Events).EventAction);
        var answers = slack.Server.Answers;
        Assert.InRange(answers.Count, 4, 20); // retried with back-off, not hammered
        Assert.All(answers.SkipLast(1), status => Assert.Equal(503, status));
        Assert.Equal(200, answers[^1]);
        Assert.Equal(AlertTypeNames.LlmRequestsHanging, FakeChatAlert.TypeOf(Assert.Single(slack.Accepted)));
    }
}
