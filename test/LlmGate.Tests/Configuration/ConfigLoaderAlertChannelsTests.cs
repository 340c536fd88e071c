using LlmGate.Configuration;
using LlmGate.Tests.Testing;

namespace LlmGate.Tests.Configuration;

public sealed class ConfigLoaderAlertChannelsTests
{
    private const string SlackUrl = "https://hooks.slack.com/services/T000/B000/slacktoken123";
    private const string OtherSlackUrl = "https://hooks.slack.com/services/T000/B111/othertoken456";

    [Fact]
    public void LoadText_SlackWithWebhookUrl_AlertingOnWithoutPagerDuty()
    {
        var result = Load("general_settings:\n  alerting: [slack]\n", ("SLACK_WEBHOOK_URL", SlackUrl));

        var alerting = result.Config!.Alerting!;
        Assert.Null(alerting.PagerDuty);
        Assert.Equal(new Uri(SlackUrl), alerting.Channels.Slack!.WebhookUrl);
        Assert.Equal(TimeSpan.FromSeconds(600), alerting.AlertingThreshold);
        Assert.Equal(TimeSpan.FromSeconds(60), alerting.HangingThreshold);
    }

    [Fact]
    public void LoadText_SlackFromAlertingWebhookUrl_UsedWhenSlackWebhookUrlUnset() =>
        Assert.Equal(
            new Uri(SlackUrl),
            Load("general_settings:\n  alerting: [slack]\n", ("ALERTING_WEBHOOK_URL", SlackUrl)).Config!.Alerting!.Channels.Slack!.WebhookUrl);

    [Theory]
    [InlineData("slack", "SLACK_WEBHOOK_URL")]
    [InlineData("discord", "DISCORD_WEBHOOK_URL")]
    [InlineData("ms_teams", "MS_TEAMS_WEBHOOK_URL")]
    [InlineData("webhook", "WEBHOOK_URL")]
    [InlineData("email", "SMTP_HOST")]
    public void LoadText_ChannelWithoutItsVariable_ErrorNamesIt(string channel, string variable)
    {
        var result = Load($"general_settings:\n  alerting: [{channel}]\n");

        Assert.True(result.HasErrors);
        Assert.Contains(result.MissingVariables, m => m.Name == variable);
        Assert.Null(result.Config);
    }

    [Fact]
    public void LoadText_AlertToWebhookUrl_OneOrSeveralUrlsPerType()
    {
        var result = Load("""
            general_settings:
              alerting: [slack]
              alert_to_webhook_url:
                outage_alerts: os.environ/OUTAGE_HOOK
                llm_too_slow: [os.environ/OUTAGE_HOOK, os.environ/SLOW_HOOK]
            """, ("OUTAGE_HOOK", SlackUrl), ("SLOW_HOOK", OtherSlackUrl));

        var slack = result.Config!.Alerting!.Channels.Slack!;
        Assert.Null(slack.WebhookUrl);
        Assert.Equal([new Uri(SlackUrl)], slack.UrlsByType["outage_alerts"]);
        Assert.Equal([new Uri(SlackUrl), new Uri(OtherSlackUrl)], slack.UrlsByType["llm_too_slow"]);
    }

    [Fact]
    public void LoadText_EveryChannel_ReadFromLiteLlmsVariablesAndLlmGateSettings()
    {
        var result = Load("""
            general_settings:
              alerting: [pagerduty, slack, discord, msteams, webhook, email]
            llmgate_settings:
              alerting:
                webhook_secret: os.environ/HOOK_SECRET
                email:
                  recipients: [oncall@example.com, "lead@example.com"]
            """,
            ("PAGERDUTY_API_KEY", new string('r', 32)),
            ("SLACK_WEBHOOK_URL", SlackUrl),
            ("DISCORD_WEBHOOK_URL", "https://discord.com/api/webhooks/1/abc/slack"),
            ("MS_TEAMS_WEBHOOK_URL", "https://example.webhook.office.com/webhookb2/x"),
            ("WEBHOOK_URL", "https://receiver.example.com/alerts"),
            ("HOOK_SECRET", "s3cret"),
            ("SMTP_HOST", "smtp.example.com"),
            ("SMTP_PORT", "465"),
            ("SMTP_USERNAME", "mailer"),
            ("SMTP_PASSWORD", "mail-password"),
            ("SMTP_SENDER_EMAIL", "llmgate@example.com"),
            ("SMTP_TLS", "True"));

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var channels = result.Config!.Alerting!.Channels;
        Assert.True(channels.Discord!.SlackCompatible);
        Assert.Equal("https://example.webhook.office.com/webhookb2/x", channels.Teams!.WebhookUrl.OriginalString);
        Assert.Equal("s3cret", channels.Webhook!.Secret);
        var email = channels.Email!;
        Assert.Equal(("smtp.example.com", 465, "mailer", "mail-password", "llmgate@example.com", true), (email.Host, email.Port, email.Username, email.Password, email.Sender, email.Tls));
        Assert.Equal(["oncall@example.com", "lead@example.com"], email.Recipients);
        Assert.Equal(["llmgate_settings.alerting.webhook_secret", "llmgate_settings.alerting.email"], result.OwnKeys);
    }

    [Fact]
    public void LoadText_EmailWithoutRecipients_Error()
    {
        var result = Load("general_settings:\n  alerting: [email]\n", ("SMTP_HOST", "smtp.example.com"), ("SMTP_SENDER_EMAIL", "llmgate@example.com"));

        Assert.Contains(result.Errors, e => e.Message.Contains("llmgate_settings.alerting.email.recipients", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadText_AlertTypesAndThreshold_ReadAsLiteLlm()
    {
        var result = Load("""
            general_settings:
              alerting: [slack]
              alerting_threshold: 300
              alert_types: [llm_exceptions, outage_alerts, spend_reports, no_such_type]
              alert_type_config:
                llm_too_slow: {digest: true, digest_interval: 3600}
              alerting_args:
                minor_outage_alert_threshold: 3
                major_outage_alert_threshold: 6
                outage_alert_ttl: 30
                daily_report_frequency: 600
            """, ("SLACK_WEBHOOK_URL", SlackUrl));

        Assert.Contains(result.Warnings, w => w.Path == "general_settings.alert_types[2]" && w.Message.Contains("not implemented", StringComparison.Ordinal));
        var unknown = Assert.Single(result.Errors);
        Assert.Equal("general_settings.alert_types[3]", unknown.Path);

        var valid = Load("""
            general_settings:
              alerting: [slack]
              alerting_threshold: 300
              alert_types: [llm_exceptions, outage_alerts]
              alert_type_config:
                llm_too_slow: {digest: true, digest_interval: 3600}
              alerting_args:
                minor_outage_alert_threshold: 3
                major_outage_alert_threshold: 6
                outage_alert_ttl: 30
                daily_report_frequency: 600
            """, ("SLACK_WEBHOOK_URL", SlackUrl)).Config!.Alerting!;
        Assert.Equal(["llm_exceptions", "outage_alerts"], valid.AlertTypes!.Order(StringComparer.Ordinal));
        Assert.Equal(TimeSpan.FromSeconds(300), valid.AlertingThreshold);
        Assert.Equal(TimeSpan.FromSeconds(300), valid.HangingThreshold); // LiteLLM's one threshold is also its hanging one
        Assert.Equal(new AlertTypeSettings(true, TimeSpan.FromHours(1)), valid.TypeSettings["llm_too_slow"]);
        Assert.Equal((3, 6, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(600)), (valid.MinorOutageThreshold, valid.MajorOutageThreshold, valid.OutageWindow, valid.DailyReportFrequency));
    }

    [Fact]
    public void LoadText_HangingThresholdSeconds_WinsOverAlertingThreshold()
    {
        var alerting = Load(
            "general_settings:\n  alerting: [slack]\n  alerting_threshold: 300\n  alerting_args:\n    hanging_threshold_seconds: 20\n",
            ("SLACK_WEBHOOK_URL", SlackUrl)).Config!.Alerting!;

        Assert.Equal((TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(20)), (alerting.AlertingThreshold, alerting.HangingThreshold));
    }

    [Fact]
    public void LoadText_MajorBelowMinor_Error() =>
        Assert.Contains(
            Load("general_settings:\n  alerting: [slack]\n  alerting_args:\n    minor_outage_alert_threshold: 5\n    major_outage_alert_threshold: 2\n", ("SLACK_WEBHOOK_URL", SlackUrl)).Errors,
            e => e.Path == "general_settings.alerting_args.major_outage_alert_threshold");

    [Fact]
    public void LoadText_RoutesAndRunbooks_ReadAndListedAsLlmGatesOwn()
    {
        var result = Load("""
            general_settings:
              alerting: [pagerduty, slack]
              alerting_args:
                per_model_group: true
            llmgate_settings:
              alerting:
                routes:
                  outage_alerts: [pagerduty, slack]
                  budget_alerts: carrier-pigeon
                runbook_urls:
                  llm_api_failure: https://wiki.example.com/runbooks/llm-failures
            """, ("PAGERDUTY_API_KEY", new string('r', 32)), ("SLACK_WEBHOOK_URL", SlackUrl));

        var error = Assert.Single(result.Errors);
        Assert.Equal("llmgate_settings.alerting.routes.budget_alerts", error.Path);
        Assert.Equal(
            ["general_settings.alerting_args.per_model_group", "llmgate_settings.alerting.routes", "llmgate_settings.alerting.runbook_urls"],
            result.OwnKeys);

        var valid = Load("""
            general_settings:
              alerting: [pagerduty, slack]
            llmgate_settings:
              alerting:
                routes:
                  outage_alerts: [pagerduty, slack]
                runbook_urls:
                  llm_api_failure: https://wiki.example.com/runbooks/llm-failures
            """, ("PAGERDUTY_API_KEY", new string('r', 32)), ("SLACK_WEBHOOK_URL", SlackUrl)).Config!.Alerting!;
        Assert.Equal(["pagerduty", "slack"], valid.Routes["outage_alerts"]);
        Assert.Equal(new Uri("https://wiki.example.com/runbooks/llm-failures"), valid.RunbookUrls["llm_api_failure"]);
    }

    [Fact]
    public void LoadText_UnknownLlmGateSettings_Warned()
    {
        var result = Load("llmgate_settings:\n  tuning: {}\n  alerting:\n    colour: red\n");

        Assert.False(result.HasErrors);
        Assert.Contains(result.Warnings, w => w.Path == "llmgate_settings.tuning");
        Assert.Contains(result.Warnings, w => w.Path == "llmgate_settings.alerting.colour");
    }

    [Fact]
    public void LoadText_ChannelSecrets_NeverInDiagnostics()
    {
        const string Secret = "zq8secretvalue9x";
        var result = Load("""
            general_settings:
              alerting: [slack, webhook, email]
              alert_to_webhook_url:
                outage_alerts: os.environ/BAD_URL
            llmgate_settings:
              alerting:
                email:
                  recipients: [os.environ/BAD_URL]
            """,
            ("SLACK_WEBHOOK_URL", "not a url " + Secret),
            ("WEBHOOK_URL", "ftp://" + Secret),
            ("BAD_URL", Secret),
            ("SMTP_HOST", "smtp.example.com"),
            ("SMTP_PASSWORD", Secret),
            ("SMTP_SENDER_EMAIL", Secret),
            ("SMTP_PORT", Secret));

        Assert.True(result.Errors.Count() >= 5, string.Join("\n", result.Diagnostics));
        Assert.All(result.Diagnostics, d => Assert.DoesNotContain(Secret, d.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Load_AlertingExample_ValidWithEveryChannel()
    {
        var result = ConfigLoader.Load(Path.Combine(RepositoryRoot.Required, "examples", "alerting.yaml"), TestEnvironment.Plausible);

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var alerting = result.Config!.Alerting!;
        Assert.NotNull(alerting.PagerDuty);
        Assert.All(
            new object?[] { alerting.Channels.Slack, alerting.Channels.Teams, alerting.Channels.Discord, alerting.Channels.Webhook, alerting.Channels.Email },
            Assert.NotNull);
        Assert.Contains("llmgate_settings.alerting.routes", result.OwnKeys);
    }

    private static ConfigLoadResult Load(string yaml, params (string Name, string Value)[] variables) =>
        ConfigLoader.LoadText(yaml, "test.yaml", TestEnvironment.With(variables));
}
