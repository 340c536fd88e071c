using YamlDotNet.RepresentationModel;

namespace LlmGate.Configuration;

/// <summary>
/// The top-level <c>llmgate_settings</c> section: every key LlmGate takes that LiteLLM has not (LiteLLM ignores the
/// section, so one file serves both). Each key read is recorded as LlmGate's own, for <c>llmgate validate</c>.
/// </summary>
internal static class LlmGateSettingsReader
{
    public const string Section = "llmgate_settings";
    private const string AlertingPath = "llmgate_settings.alerting";

    public static LlmGateAlertingSettings ReadAlerting(ConfigReader reader, ConfigEntry? section)
    {
        var settings = LlmGateAlertingSettings.Empty;
        if (section is not { } entry || reader.Mapping(entry.Value, Section) is not { } mapping)
        {
            return settings;
        }

        foreach (var (key, keyNode, value) in reader.Entries(mapping, Section))
        {
            if (key != "alerting")
            {
                reader.Warning(ConfigReader.Child(Section, key), keyNode, "unknown key, ignored (llmgate_settings takes alerting)");
                continue;
            }

            if (reader.Mapping(value, AlertingPath) is not { } alerting)
            {
                continue;
            }

            foreach (var (alertingKey, alertingKeyNode, alertingValue) in reader.Entries(alerting, AlertingPath))
            {
                var path = ConfigReader.Child(AlertingPath, alertingKey);
                reader.Own(path, alertingKeyNode);
                settings = alertingKey switch
                {
                    "webhook_secret" => reader.ReadString(alertingValue, path, AlertingReader.Missing, "webhooks cannot be signed without it") is { } secret
                        ? settings with { WebhookSecret = secret }
                        : settings,
                    "email" => settings with { EmailRecipients = ReadRecipients(reader, alertingValue, path) },
                    "routes" => settings with { Routes = ReadRoutes(reader, alertingValue, path) },
                    "runbook_urls" => settings with { RunbookUrls = ReadRunbooks(reader, alertingValue, path) },
                    _ => Unknown(reader, path, alertingKeyNode, settings),
                };
            }
        }

        return settings;
    }

    private static List<string> ReadRecipients(ConfigReader reader, YamlNode value, string path)
    {
        var recipients = new List<string>();
        if (reader.Mapping(value, path) is not { } email)
        {
            return recipients;
        }

        foreach (var (key, keyNode, item) in reader.Entries(email, path))
        {
            var itemPath = ConfigReader.Child(path, key);
            if (key != "recipients")
            {
                reader.Warning(itemPath, keyNode, "unknown key, ignored (email takes recipients)");
                continue;
            }

            // A list, or one string of comma-separated addresses (what an environment variable can hold).
            var nodes = item is YamlSequenceNode sequence ? sequence.Children.ToList() : [item];
            foreach (var node in nodes)
            {
                var text = reader.ReadString(node, itemPath, AlertingReader.Missing, "email alerts have no one to go to");
                foreach (var address in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (System.Net.Mail.MailAddress.TryCreate(address, out _))
                    {
                        recipients.Add(address);
                    }
                    else
                    {
                        reader.Error(itemPath, node, "is not an email address"); // the value is not echoed: it is personal data
                    }
                }
            }
        }

        return recipients;
    }

    private static Dictionary<string, IReadOnlyList<string>> ReadRoutes(ConfigReader reader, YamlNode value, string path)
    {
        var routes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (reader.Mapping(value, path) is not { } mapping)
        {
            return routes;
        }

        foreach (var (key, keyNode, item) in reader.Entries(mapping, path))
        {
            var itemPath = ConfigReader.Child(path, key);
            if (AlertingReader.ReadTypeName(reader, key, keyNode, itemPath) is not { } type)
            {
                continue;
            }

            var nodes = item is YamlSequenceNode sequence ? sequence.Children.ToList() : [item];
            var channels = new List<string>();
            foreach (var node in nodes)
            {
                var channel = reader.ReadString(node, itemPath, AlertingReader.Missing)?.Trim().ToLowerInvariant();
                if (channel is null)
                {
                    continue;
                }

                if (AlertTypeNames.Channels.Contains(channel))
                {
                    channels.Add(channel);
                }
                else
                {
                    reader.Error(itemPath, node, $"unknown channel; channels are {string.Join(", ", AlertTypeNames.Channels)}");
                }
            }

            routes[type] = channels;
        }

        return routes;
    }

    private static Dictionary<string, Uri> ReadRunbooks(ConfigReader reader, YamlNode value, string path)
    {
        var runbooks = new Dictionary<string, Uri>(StringComparer.Ordinal);
        if (reader.Mapping(value, path) is not { } mapping)
        {
            return runbooks;
        }

        foreach (var (key, keyNode, item) in reader.Entries(mapping, path))
        {
            var itemPath = ConfigReader.Child(path, key);
            if (AlertingReader.ReadTypeName(reader, key, keyNode, itemPath) is { } type
                && reader.ReadString(item, itemPath, AlertingReader.Missing) is { } text
                && reader.ParseHttpUrl(text, itemPath, item) is { } uri)
            {
                runbooks[type] = uri;
            }
        }

        return runbooks;
    }

    private static LlmGateAlertingSettings Unknown(ConfigReader reader, string path, YamlNode keyNode, LlmGateAlertingSettings settings)
    {
        reader.Warning(path, keyNode, "unknown key, ignored (alerting takes webhook_secret, email, routes, runbook_urls)");
        return settings;
    }
}
