using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace LlmGate.Configuration;

/// <summary>
/// Reads the chat, webhook and email channels <c>general_settings.alerting</c> lists from LiteLLM's environment
/// variables. A listed channel without what it needs is an error, as PagerDuty without its key: alerting that
/// silently goes nowhere is worse than a gateway that does not start. Values are never echoed: they hold tokens.
/// </summary>
internal static class AlertChannelsReader
{
    private const string AlertingPath = "general_settings.alerting";

    /// <summary>The channels' options; null when a listed channel lacks what it needs (the errors say what).</summary>
    public static AlertChannelsOptions? Read(
        ConfigReader reader, IReadOnlyDictionary<string, YamlNode> targets, IReadOnlyDictionary<string, IReadOnlyList<Uri>> urlsByType, LlmGateAlertingSettings ours)
    {
        var failed = false;
        var channels = AlertChannelsOptions.None;
        if (targets.TryGetValue(AlertTypeNames.SlackChannel, out var slackNode))
        {
            var url = Url(reader, "SLACK_WEBHOOK_URL", slackNode) ?? Url(reader, "ALERTING_WEBHOOK_URL", slackNode);
            if (url is null && urlsByType.Count == 0)
            {
                Missing(reader, "SLACK_WEBHOOK_URL", slackNode, "Slack alerting needs an incoming webhook URL in it (or in ALERTING_WEBHOOK_URL, or alert_to_webhook_url)");
                failed = true;
            }
            else
            {
                channels = channels with { Slack = new SlackOptions { WebhookUrl = url, UrlsByType = urlsByType } };
            }
        }
        else if (urlsByType.Count > 0)
        {
            reader.Warning("general_settings.alert_to_webhook_url", null, "ignored: general_settings.alerting does not list \"slack\"");
        }

        if (targets.TryGetValue(AlertTypeNames.DiscordChannel, out var discordNode))
        {
            var url = Required(reader, "DISCORD_WEBHOOK_URL", discordNode, "Discord alerting needs the channel's webhook URL in it", ref failed);
            channels = url is null ? channels : channels with { Discord = new DiscordOptions(url) };
        }

        if (targets.TryGetValue(AlertTypeNames.TeamsChannel, out var teamsNode))
        {
            var url = Required(reader, "MS_TEAMS_WEBHOOK_URL", teamsNode, "Microsoft Teams alerting needs the incoming webhook (Workflows) URL in it", ref failed);
            channels = url is null ? channels : channels with { Teams = new TeamsOptions(url) };
        }

        if (targets.TryGetValue(AlertTypeNames.WebhookChannel, out var webhookNode))
        {
            var url = Required(reader, "WEBHOOK_URL", webhookNode, "webhook alerting needs the receiver's URL in it", ref failed);
            channels = url is null ? channels : channels with { Webhook = new WebhookOptions(url, ours.WebhookSecret) };
        }
        else if (ours.WebhookSecret is not null)
        {
            reader.Warning("llmgate_settings.alerting.webhook_secret", null, "ignored: general_settings.alerting does not list \"webhook\"");
        }

        if (targets.TryGetValue(AlertTypeNames.EmailChannel, out var emailNode))
        {
            var email = ReadEmail(reader, emailNode, ours.EmailRecipients, ref failed);
            channels = email is null ? channels : channels with { Email = email };
        }

        return failed ? null : channels;
    }

    private static EmailOptions? ReadEmail(ConfigReader reader, YamlNode node, IReadOnlyList<string> recipients, ref bool failed)
    {
        var host = reader.GetVariable("SMTP_HOST");
        var sender = reader.GetVariable("SMTP_SENDER_EMAIL");
        if (string.IsNullOrWhiteSpace(host))
        {
            Missing(reader, "SMTP_HOST", node, "email alerting needs the SMTP server's host name in it");
            failed = true;
        }

        if (string.IsNullOrWhiteSpace(sender))
        {
            Missing(reader, "SMTP_SENDER_EMAIL", node, "email alerting needs the From address in it");
            failed = true;
        }
        else if (!System.Net.Mail.MailAddress.TryCreate(sender, out _))
        {
            reader.Error(AlertingPath, node, "environment variable SMTP_SENDER_EMAIL is not an email address");
            failed = true;
        }

        if (recipients.Count == 0)
        {
            reader.Error(AlertingPath, node, "email alerting needs llmgate_settings.alerting.email.recipients: a list of addresses");
            failed = true;
        }

        var port = 587;
        if (reader.GetVariable("SMTP_PORT") is { Length: > 0 } portText
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            reader.Error(AlertingPath, node, "environment variable SMTP_PORT must be a port number (1-65535)");
            failed = true;
        }

        var tls = true;
        if (reader.GetVariable("SMTP_TLS") is { Length: > 0 } tlsText)
        {
            switch (tlsText.Trim().ToUpperInvariant())
            {
                case "TRUE" or "1" or "YES" or "ON":
                    break;
                case "FALSE" or "0" or "NO" or "OFF":
                    tls = false;
                    break;
                default:
                    reader.Error(AlertingPath, node, "environment variable SMTP_TLS must be true or false");
                    failed = true;
                    break;
            }
        }

        if (failed || host is null || sender is null)
        {
            return null;
        }

        return new EmailOptions
        {
            Host = host.Trim(),
            Port = port,
            Username = reader.GetVariable("SMTP_USERNAME") is { Length: > 0 } user ? user : null,
            Password = reader.GetVariable("SMTP_PASSWORD") is { Length: > 0 } password ? password : null,
            Sender = sender.Trim(),
            Tls = tls,
            Recipients = recipients,
        };
    }

    private static Uri? Required(ConfigReader reader, string variable, YamlNode node, string consequence, ref bool failed)
    {
        var url = Url(reader, variable, node);
        if (url is null)
        {
            if (string.IsNullOrEmpty(reader.GetVariable(variable)))
            {
                Missing(reader, variable, node, consequence); // one that is set but not a URL has its own error
            }

            failed = true;
        }

        return url;
    }

    private static Uri? Url(ConfigReader reader, string variable, YamlNode node) =>
        reader.GetVariable(variable) is { Length: > 0 } text
            ? reader.ParseHttpUrl(text, AlertingPath, node, $"environment variable {variable} ")
            : null;

    private static void Missing(ConfigReader reader, string variable, YamlNode node, string consequence) =>
        reader.ReportMissing(variable, AlertingPath, node, AlertingReader.Missing, consequence);
}
