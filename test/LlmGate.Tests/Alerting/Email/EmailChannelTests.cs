using LlmGate.Alerting;
using LlmGate.Alerting.Email;
using LlmGate.Alerting.Messages;
using LlmGate.Configuration;
using LlmGate.Testing;
using MailKit.Security;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Alerting.Email;

public sealed class EmailChannelTests
{
    private const string User = "alerts-bot";
    private const string Password = "smtp-pa55word-Zq81";
    private const string Sender = "llmgate@alerts.example.com";
    private static readonly string[] Recipients = ["oncall@example.com", "team-lead@example.org"];
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SendAsync_Trigger_OneMessageToEveryRecipientWithSubjectAndEscapedHtml()
    {
        await using var smtp = await FakeSmtpServer.StartAsync();
        var channel = Channel(smtp);

        var answer = await channel.SendAsync(channel.Render(Notice("Upstream said <script>alert(1)</script> & more")), CancellationToken.None);

        Assert.True(answer.Delivered, answer.Description);
        var received = Assert.Single(smtp.Messages);
        Assert.Equal(Recipients, received.EnvelopeTo);
        Assert.Equal(Sender, received.EnvelopeFrom);
        Assert.Equal(Recipients, received.Message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("[LlmGate] Medium: Minor service outage", received.Message.Subject);
        Assert.Contains("Upstream said <script>alert(1)</script> & more", received.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Upstream said &lt;script&gt;alert(1)&lt;/script&gt; &amp; more", received.Message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", received.Message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Resolve_ResolvedSubject()
    {
        var channel = new EmailChannel(Options("127.0.0.1", 25), new AlertMessageBuilder(new AlertingOptions()), new FakeTimeProvider(Now));
        var trigger = Notice("five failures");
        var resolve = AlertNotification.Resolved(trigger.DedupKey, trigger.ClassName, Now.AddMinutes(2)) with
        {
            Type = trigger.Type,
            Title = trigger.Title,
            Labels = trigger.Labels,
            OpenedAt = trigger.At,
        };

        var content = EmailContent.FromJson(channel.Render(resolve))!;

        Assert.Equal("[LlmGate] Resolved: Minor service outage", content.Subject);
        Assert.Contains("it lasted 2m 0s", content.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_RightLogin_Delivered()
    {
        await using var smtp = await FakeSmtpServer.StartAsync(User, Password);
        var channel = Channel(smtp, User, Password);

        var answer = await channel.SendAsync(channel.Render(Notice("x")), CancellationToken.None);

        Assert.True(answer.Delivered, answer.Description);
        Assert.Equal(User, Assert.Single(smtp.Messages).User);
    }

    [Fact]
    public async Task Sender_WrongPassword_DroppedAs535WithoutPasswordOrAddressInLogs()
    {
        await using var smtp = await FakeSmtpServer.StartAsync(User, Password);
        using var lane = new ChannelLane(Channel(smtp, User, "not-the-" + Password));
        lane.Enqueue(Notice("x"));

        await lane.DeliverNextAsync();

        Assert.True(smtp.RefusedLogins >= 1); // MailKit tries each mechanism the server offers
        Assert.Empty(smtp.Messages);
        Assert.Equal(0, lane.Outbox.Count(EmailChannel.ChannelName));
        Assert.Equal(535, lane.DeliveryLog.Last!.StatusCode);
        AssertNoSecret(lane.AllLogText() + lane.DeliveryLog.Last.Message);
    }

    [Fact]
    public async Task Sender_451ThenAccepted_DeliveredOnceAfterRetry()
    {
        await using var smtp = await FakeSmtpServer.StartAsync();
        smtp.RefuseNext(1, 451);
        using var lane = new ChannelLane(Channel(smtp));
        lane.Enqueue(Notice("x"));

        await lane.DeliverNextAsync();
        Assert.Equal(1, lane.Outbox.Count(EmailChannel.ChannelName)); // kept for another try
        Assert.Equal(451, lane.DeliveryLog.Last!.StatusCode);
        lane.SkipBackoff();
        await lane.DeliverNextAsync();

        Assert.Single(smtp.Messages);
        Assert.Equal(1, smtp.RefusedMessages);
        Assert.Equal(0, lane.Outbox.Count(EmailChannel.ChannelName));
        Assert.True(lane.DeliveryLog.Last!.Delivered);
    }

    [Fact]
    public async Task Sender_550_DroppedWithLogLineWithoutAddressOrPassword()
    {
        await using var smtp = await FakeSmtpServer.StartAsync(User, Password);
        smtp.RefuseNext(1, 550);
        using var lane = new ChannelLane(Channel(smtp, User, Password));
        lane.Enqueue(Notice("x"));

        await lane.DeliverNextAsync();

        Assert.Empty(smtp.Messages);
        Assert.Equal(0, lane.Outbox.Count(EmailChannel.ChannelName));
        var rejected = Assert.Single(lane.Logs.GetSnapshot(), l => l.Id.Id == 5005);
        Assert.Contains("550", rejected.Message, StringComparison.Ordinal);
        AssertNoSecret(lane.AllLogText());
    }

    [Fact]
    public async Task SendAsync_NobodyListening_Retryable()
    {
        var channel = new EmailChannel(Options("127.0.0.1", LoopbackPorts.Free()), new AlertMessageBuilder(new AlertingOptions()), TimeProvider.System);

        var answer = await channel.SendAsync(channel.Render(Notice("x")), CancellationToken.None);

        Assert.False(answer.Delivered);
        Assert.True(answer.Retryable, answer.Description);
        AssertNoSecret(answer.Description);
    }

    [Theory]
    [InlineData(465, true, SecureSocketOptions.SslOnConnect)]
    [InlineData(587, true, SecureSocketOptions.StartTls)]
    [InlineData(25, true, SecureSocketOptions.StartTls)]
    [InlineData(465, false, SecureSocketOptions.None)]
    [InlineData(587, false, SecureSocketOptions.None)]
    public void SocketOptions_PortAndTls_AsLiteLlmDocuments(int port, bool tls, SecureSocketOptions expected) =>
        Assert.Equal(expected, EmailChannel.SocketOptions(Options("smtp.example.com", port) with { Tls = tls }));

    private static void AssertNoSecret(string text)
    {
        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Sender, text, StringComparison.OrdinalIgnoreCase);
        foreach (var recipient in Recipients)
        {
            Assert.DoesNotContain(recipient, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static EmailChannel Channel(FakeSmtpServer smtp, string? user = null, string? password = null) =>
        new(Options(smtp.Host, smtp.Port) with { Username = user, Password = password }, new AlertMessageBuilder(new AlertingOptions()), new FakeTimeProvider(Now));

    private static EmailOptions Options(string host, int port) => new()
    {
        Host = host,
        Port = port,
        Sender = Sender,
        Tls = false,
        Recipients = Recipients,
    };

    private static AlertNotification Notice(string summary) => AlertNotification.Noticed(
        "outage-key", AlertTypeNames.OutageAlerts, "llmgate_outage", "Minor service outage", new AlertNotice(summary, AlertSeverity.Warning), Now);
}
