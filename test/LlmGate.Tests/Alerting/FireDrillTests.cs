using LlmGate.Alerting;
using LlmGate.Cli;
using LlmGate.Configuration;
using LlmGate.Testing;

namespace LlmGate.Tests.Alerting;

/// <summary><c>llmgate alert test [--channel NAME]</c> against a webhook receiver and an SMTP server, from a config as the CLI reads it.</summary>
public sealed class FireDrillTests
{
    private const string WebhookSecret = "whsec-drill-5b7e9d1c3a";
    private const string SmtpUser = "drill-bot";
    private const string SmtpPassword = "drill-pa55-Kx72";
    private const string Recipient = "oncall@example.com";

    [Fact]
    public async Task RunFromCliAsync_ChannelWebhook_OnlyTheWebhookGetsTriggerAndResolve()
    {
        await using var receiver = await FakeWebhookReceiver.StartAsync(WebhookSecret);
        await using var smtp = await FakeSmtpServer.StartAsync(SmtpUser, SmtpPassword);
        using var output = new StringWriter();

        var exitCode = await AlertFireDrill.RunFromCliAsync(Config(receiver, smtp), "webhook", output, CancellationToken.None);

        Assert.Equal(0, exitCode);
        Assert.Equal(["firing", "resolved"], receiver.Deliveries.Select(d => d.Body.GetProperty("status").GetString()));
        Assert.All(receiver.Deliveries, d => Assert.Equal("llmgate_fire_drill", d.Body.GetProperty("alert_type").GetString()));
        Assert.Single(receiver.Deliveries.Select(d => d.Delivery).Distinct());
        Assert.Equal(0, receiver.SignatureFailures);
        Assert.Empty(smtp.Messages);
        var text = output.ToString();
        Assert.Contains("webhook trigger: 200", text, StringComparison.Ordinal);
        Assert.Contains("webhook resolve: 200", text, StringComparison.Ordinal);
        Assert.DoesNotContain("email", text, StringComparison.Ordinal);
        AssertNoSecret(text);
    }

    [Fact]
    public async Task RunFromCliAsync_NoChannel_EveryConfiguredChannelDrilled()
    {
        await using var receiver = await FakeWebhookReceiver.StartAsync(WebhookSecret);
        await using var smtp = await FakeSmtpServer.StartAsync(SmtpUser, SmtpPassword);
        using var output = new StringWriter();

        var exitCode = await AlertFireDrill.RunFromCliAsync(Config(receiver, smtp), null, output, CancellationToken.None);

        Assert.Equal(0, exitCode);
        Assert.Equal(2, receiver.Deliveries.Count);
        Assert.Equal(["[LlmGate] Low: LlmGate fire drill", "[LlmGate] Resolved: LlmGate fire drill"], smtp.Messages.Select(m => m.Message.Subject));
        Assert.Contains("email resolve: 250", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunFromCliAsync_EmailRefused_ReturnsOneWithStatusAndNoSecret()
    {
        await using var receiver = await FakeWebhookReceiver.StartAsync(WebhookSecret);
        await using var smtp = await FakeSmtpServer.StartAsync(SmtpUser, SmtpPassword);
        smtp.RefuseNext(2, 550);
        using var output = new StringWriter();

        var exitCode = await AlertFireDrill.RunFromCliAsync(Config(receiver, smtp), "email", output, CancellationToken.None);

        Assert.Equal(1, exitCode);
        var text = output.ToString();
        Assert.Contains("email trigger: 550", text, StringComparison.Ordinal);
        Assert.Contains("(failed)", text, StringComparison.Ordinal);
        AssertNoSecret(text);
        Assert.Empty(receiver.Deliveries);
    }

    [Fact]
    public async Task RunFromCliAsync_ChannelNotConfigured_SaysWhichAreAndReturnsOne()
    {
        await using var receiver = await FakeWebhookReceiver.StartAsync(WebhookSecret);
        await using var smtp = await FakeSmtpServer.StartAsync(SmtpUser, SmtpPassword);
        using var output = new StringWriter();

        var exitCode = await AlertFireDrill.RunFromCliAsync(Config(receiver, smtp), "slack", output, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains("slack channel is not configured", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("configured: webhook, email", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, receiver.Requests);
    }

    [Theory]
    [InlineData("webhook", 0)]
    [InlineData("bogus", 1)]
    public void CommandLine_ChannelOption_OnlyChannelNames(string channel, int errors)
    {
        var parsed = LlmGateCommandLine.Build("/tmp").Parse(["alert", "test", "--config", "config.yaml", "--channel", channel]);

        Assert.Equal(errors, parsed.Errors.Count);
    }

    /// <summary>The YAML and environment of a gateway alerting to <paramref name="receiver"/> and <paramref name="smtp"/>.</summary>
    internal static (string Yaml, Dictionary<string, string> Environment) Setup(FakeWebhookReceiver receiver, FakeSmtpServer smtp, string extraGeneralSettings = "", string extraAlertingSettings = "")
    {
        var yaml = $$"""
            model_list:
              - model_name: gpt-4o
                litellm_params: {model: openai/gpt-4o, api_key: sk-upstream-unused}
            general_settings:
              master_key: {{AlertingFixture.MasterKey}}
              alerting: ["webhook", "email"]{{extraGeneralSettings}}
            llmgate_settings:
              alerting:
                webhook_secret: os.environ/LLMGATE_WEBHOOK_SECRET
                email:
                  recipients: ["{{Recipient}}", "lead@example.org"]{{extraAlertingSettings}}
            """;
        var environment = new Dictionary<string, string>
        {
            ["WEBHOOK_URL"] = receiver.Url.ToString(),
            ["LLMGATE_WEBHOOK_SECRET"] = WebhookSecret,
            ["SMTP_HOST"] = smtp.Host,
            ["SMTP_PORT"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SMTP_USERNAME"] = SmtpUser,
            ["SMTP_PASSWORD"] = SmtpPassword,
            ["SMTP_SENDER_EMAIL"] = "llmgate@alerts.example.com",
            ["SMTP_TLS"] = "false",
        };
        return (yaml, environment);
    }

    internal static void AssertNoSecret(string text)
    {
        Assert.DoesNotContain(WebhookSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeWebhookReceiver.Path, text, StringComparison.Ordinal);
        Assert.DoesNotContain("T0KEN", text, StringComparison.Ordinal);
        Assert.DoesNotContain(SmtpPassword, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Recipient, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("lead@example.org", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("llmgate@alerts.example.com", text, StringComparison.OrdinalIgnoreCase);
    }

    private static GatewayConfig Config(FakeWebhookReceiver receiver, FakeSmtpServer smtp)
    {
        var (yaml, environment) = Setup(receiver, smtp);
        var loaded = ConfigLoader.LoadText(yaml, "drill.yaml", environment.GetValueOrDefault);
        Assert.False(loaded.HasErrors, string.Join("\n", loaded.Errors));
        return loaded.Config!;
    }
}
