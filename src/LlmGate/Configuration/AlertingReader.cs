using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace LlmGate.Configuration;

/// <summary>
/// Reads <c>general_settings.alerting</c>, <c>alerting_args</c>, <c>alert_types</c>, <c>alerting_threshold</c>,
/// <c>alert_to_webhook_url</c>, <c>alert_type_config</c> and <c>llmgate_settings.alerting</c>: detection settings into
/// <see cref="AlertingOptions"/>, each channel's into its own options.
/// </summary>
internal static class AlertingReader
{
    private const string Section = "general_settings";
    private const string AlertingPath = "general_settings.alerting";
    private const string ArgsPath = "general_settings.alerting_args";
    private const string TypesPath = "general_settings.alert_types";
    private const string TypeConfigPath = "general_settings.alert_type_config";
    private const string WebhookUrlsPath = "general_settings.alert_to_webhook_url";
    private const string RoutingKeyVariable = "PAGERDUTY_API_KEY";
    private const string EventsUrlVariable = "PAGERDUTY_EVENTS_URL";

    // The length of a PagerDuty Events API v2 integration (routing) key.
    private const int RoutingKeyLength = 32;

    // An unset variable anywhere under alerting is an error: a gateway whose paging silently does not work is worse
    // than one that does not start.
    public const ConfigSeverity Missing = ConfigSeverity.Error;

    // alerting_args keys LiteLLM has not: it ignores them.
    private static readonly string[] OwnArgs = ["ignore_client_errors", "per_model_group", "failure_severity", "hanging_severity", "pagerduty_source", "pagerduty_events_url"];

    private static readonly string[] Severities = ["critical", "error", "warning", "info"];

    // Other targets LiteLLM knows; named in the warning since they are not secrets.
    private static readonly string[] OtherTargets = ["sns", "sentry", "datadog", "langfuse"];

    /// <summary>The <c>general_settings</c> keys this reader takes.</summary>
    public static bool Reads(string key) => key is "alerting" or "alerting_args" or "alert_types" or "alerting_threshold" or "alert_to_webhook_url" or "alert_type_config";

    public static AlertingOptions? Read(ConfigReader reader, IReadOnlyDictionary<string, ConfigEntry> general, ConfigEntry? llmgateSettings)
    {
        ArgumentNullException.ThrowIfNull(general);
        ConfigEntry? args = general.TryGetValue("alerting_args", out var argsEntry) ? argsEntry : null;
        var ours = LlmGateSettingsReader.ReadAlerting(reader, llmgateSettings);
        var targets = ReadTargets(reader, general.TryGetValue("alerting", out var alertingEntry) ? alertingEntry : null);
        if (targets.Count == 0)
        {
            foreach (var (key, entry) in general)
            {
                if (key != "alerting" && !ConfigReader.IsNull(entry.Value))
                {
                    reader.Warning(ConfigReader.Child(Section, key), entry.KeyNode, "ignored: general_settings.alerting lists no channel LlmGate sends to");
                }
            }

            return null;
        }

        var failed = false;
        PagerDutyOptions? pagerDuty = null;
        if (targets.TryGetValue(AlertTypeNames.PagerDutyChannel, out var pagerDutyNode))
        {
            pagerDuty = ReadPagerDutyKey(reader, pagerDutyNode);
            failed |= pagerDuty is null;
        }

        var (detection, readPagerDuty) = ReadArgs(reader, args, new AlertingOptions(), pagerDuty ?? new PagerDutyOptions { RoutingKey = "" });
        if (pagerDuty is not null && reader.GetVariable(EventsUrlVariable) is { } url)
        {
            var eventsUrl = reader.ParseHttpUrl(url, ConfigReader.Child(ArgsPath, "pagerduty_events_url"), args?.KeyNode, $"environment variable {EventsUrlVariable} (which overrides this key) ");
            readPagerDuty = eventsUrl is null ? readPagerDuty : readPagerDuty with { EventsUrl = eventsUrl };
        }

        var urlsByType = ReadUrlsByType(reader, general.TryGetValue("alert_to_webhook_url", out var urlsEntry) ? urlsEntry : null);
        var channels = AlertChannelsReader.Read(reader, targets, urlsByType, ours);
        failed |= channels is null;
        detection = ReadTypeKeys(reader, general, detection);
        if (general.ContainsKey("alerting_threshold") && !HasKey(args, "hanging_threshold_seconds"))
        {
            // LiteLLM's one threshold is also its hanging one; hanging_threshold_seconds (PagerDuty's) wins when set.
            detection = detection with { HangingThreshold = detection.AlertingThreshold };
        }

        if (!HasKey(args, "daily_report_frequency") && reader.GetVariable("SLACK_DAILY_REPORT_FREQUENCY") is { Length: > 0 } frequency)
        {
            detection = decimal.TryParse(frequency, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                ? detection with { DailyReportFrequency = TimeSpan.FromSeconds((double)seconds) }
                : Invalid(reader, "SLACK_DAILY_REPORT_FREQUENCY", "must be a number of seconds greater than 0", detection);
        }

        if (detection.MajorOutageThreshold < detection.MinorOutageThreshold)
        {
            reader.Error(ConfigReader.Child(ArgsPath, "major_outage_alert_threshold"), args?.KeyNode, "must not be below minor_outage_alert_threshold");
            failed = true;
        }
        if (reader.GetVariable("PROXY_BASE_URL") is { Length: > 0 } baseUrl)
        {
            detection = reader.ParseHttpUrl(baseUrl, "PROXY_BASE_URL", null, "environment variable PROXY_BASE_URL ") is { } proxyBase
                ? detection with { ProxyBaseUrl = proxyBase }
                : detection;
        }

        if (failed)
        {
            return null;
        }

        return detection with
        {
            PagerDuty = pagerDuty is null ? null : readPagerDuty,
            Channels = channels!,
            Routes = ours.Routes,
            RunbookUrls = ours.RunbookUrls,
        };
    }

    private static PagerDutyOptions? ReadPagerDutyKey(ConfigReader reader, YamlNode pagerDutyNode)
    {
        var routingKey = reader.GetVariable(RoutingKeyVariable);
        if (routingKey is null)
        {
            reader.ReportMissing(RoutingKeyVariable, AlertingPath, pagerDutyNode, Missing, "PagerDuty alerting needs the Events API v2 integration (routing) key in it");
            return null;
        }

        if (routingKey.Length != RoutingKeyLength)
        {
            reader.Warning(AlertingPath, pagerDutyNode, $"{RoutingKeyVariable} is {routingKey.Length} characters long, but an Events API v2 integration key has {RoutingKeyLength}; a 20-character key is probably a REST API key, which the Events API refuses");
        }

        return new PagerDutyOptions { RoutingKey = routingKey };
    }

    /// <summary><c>alert_types</c>, <c>alerting_threshold</c> and <c>alert_type_config</c>.</summary>
    private static AlertingOptions ReadTypeKeys(ConfigReader reader, IReadOnlyDictionary<string, ConfigEntry> general, AlertingOptions options)
    {
        if (general.TryGetValue("alert_types", out var types)
            && reader.Sequence(types.Value, TypesPath, "a list of alert types such as [\"llm_exceptions\", \"outage_alerts\"]") is { } list)
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < list.Children.Count; i++)
            {
                if (ReadType(reader, list.Children[i], ConfigReader.Item(TypesPath, i)) is { } type)
                {
                    set.Add(type);
                }
            }

            options = options with { AlertTypes = set };
        }

        if (general.TryGetValue("alerting_threshold", out var threshold)
            && reader.ReadSeconds(threshold.Value, ConfigReader.Child(Section, "alerting_threshold"), Missing) is { } seconds)
        {
            options = options with { AlertingThreshold = seconds };
        }

        if (general.TryGetValue("alert_type_config", out var config)
            && reader.Mapping(config.Value, TypeConfigPath) is { } mapping)
        {
            var settings = new Dictionary<string, AlertTypeSettings>(StringComparer.Ordinal);
            foreach (var (key, keyNode, value) in reader.Entries(mapping, TypeConfigPath))
            {
                var path = ConfigReader.Child(TypeConfigPath, key);
                if (ReadTypeName(reader, key, keyNode, path) is { } type && ReadTypeSettings(reader, value, path) is { } read)
                {
                    settings[type] = read;
                }
            }

            options = options with { TypeSettings = settings };
        }

        return options;
    }

    private static AlertTypeSettings? ReadTypeSettings(ConfigReader reader, YamlNode value, string path)
    {
        if (reader.Mapping(value, path) is not { } mapping)
        {
            return null;
        }

        var settings = new AlertTypeSettings(false, AlertTypeSettings.DefaultDigestInterval);
        foreach (var (key, keyNode, item) in reader.Entries(mapping, path))
        {
            var itemPath = ConfigReader.Child(path, key);
            settings = key switch
            {
                "digest" => reader.ReadBool(item, itemPath, Missing) is { } digest ? settings with { Digest = digest } : settings,
                "digest_interval" => reader.ReadSeconds(item, itemPath, Missing) is { } interval ? settings with { DigestInterval = interval } : settings,
                _ => Unknown(reader, itemPath, keyNode, settings),
            };
        }

        return settings;
    }

    /// <summary><c>alert_to_webhook_url</c>: alert type to one URL or a list of them.</summary>
    private static Dictionary<string, IReadOnlyList<Uri>> ReadUrlsByType(ConfigReader reader, ConfigEntry? entry)
    {
        var urls = new Dictionary<string, IReadOnlyList<Uri>>(StringComparer.Ordinal);
        if (entry is not { } e || reader.Mapping(e.Value, WebhookUrlsPath) is not { } mapping)
        {
            return urls;
        }

        foreach (var (key, keyNode, value) in reader.Entries(mapping, WebhookUrlsPath))
        {
            var path = ConfigReader.Child(WebhookUrlsPath, key);
            if (ReadTypeName(reader, key, keyNode, path) is not { } type)
            {
                continue;
            }

            var nodes = value is YamlSequenceNode sequence ? sequence.Children.ToList() : [value];
            var list = new List<Uri>(nodes.Count);
            for (var i = 0; i < nodes.Count; i++)
            {
                var itemPath = value is YamlSequenceNode ? ConfigReader.Item(path, i) : path;
                if (reader.ReadString(nodes[i], itemPath, Missing, "the alerts of this type would go nowhere") is { } text
                    && reader.ParseHttpUrl(text, itemPath, nodes[i]) is { } uri)
                {
                    list.Add(uri);
                }
            }

            if (list.Count > 0)
            {
                urls[type] = list;
            }
        }

        return urls;
    }

    /// <summary>An alert type in a list: a known one, or null with an error (unknown) or a warning (not implemented).</summary>
    public static string? ReadType(ConfigReader reader, YamlNode node, string path)
    {
        var text = reader.ReadString(node, path, Missing)?.Trim();
        return text is null ? null : ReadTypeName(reader, text, node, path);
    }

    /// <summary>An alert type used as a key: a known one, or null with an error (unknown) or a warning (not implemented).</summary>
    public static string? ReadTypeName(ConfigReader reader, string name, YamlNode node, string path)
    {
        if (AlertTypeNames.Implemented.Contains(name))
        {
            return name;
        }

        if (AlertTypeNames.NotImplemented.Contains(name))
        {
            reader.Warning(path, node, $"alert type {name} is not implemented, ignored");
            return null;
        }

        reader.Error(path, node, $"unknown alert type; LlmGate knows {string.Join(", ", AlertTypeNames.Implemented)}");
        return null;
    }

    private static bool HasKey(ConfigEntry? mapping, string key) =>
        mapping?.Value is YamlMappingNode node && node.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value == key);

    private static AlertingOptions Invalid(ConfigReader reader, string variable, string requirement, AlertingOptions options)
    {
        reader.Error(variable, null, $"environment variable {variable} {requirement}");
        return options;
    }

    private static T Unknown<T>(ConfigReader reader, string path, YamlNode keyNode, T value)
    {
        reader.Warning(path, keyNode, "unknown key, ignored");
        return value;
    }

    /// <summary>Checks the alerting list; returns each channel LlmGate sends to, with the node that names it.</summary>
    private static Dictionary<string, YamlNode> ReadTargets(ConfigReader reader, ConfigEntry? alerting)
    {
        var channels = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        if (alerting is not { } entry || reader.Sequence(entry.Value, AlertingPath, "a list such as [\"pagerduty\", \"slack\"]") is not { } targets)
        {
            return channels;
        }

        for (var i = 0; i < targets.Children.Count; i++)
        {
            var item = targets.Children[i];
            var path = ConfigReader.Item(AlertingPath, i);
            var target = reader.ReadString(item, path, Missing, "the alerting target it names is unknown")?.Trim().ToLowerInvariant();
            switch (target)
            {
                case null:
                    break;
                case "msteams":
                    channels.TryAdd(AlertTypeNames.TeamsChannel, item);
                    break;
                case var known when AlertTypeNames.Channels.Contains(known):
                    channels.TryAdd(known, item);
                    break;
                case var other when OtherTargets.Contains(other):
                    reader.Warning(path, item, $"alerting to {other} is not implemented, ignored");
                    break;
                default:
                    reader.Warning(path, item, $"unknown alerting target, ignored (LlmGate alerts to {string.Join(", ", AlertTypeNames.Channels)})");
                    break;
            }
        }

        return channels;
    }

    /// <summary>One pass over <c>alerting_args</c>: each key sets either a detection setting or a PagerDuty one.</summary>
    private static (AlertingOptions Detection, PagerDutyOptions PagerDuty) ReadArgs(
        ConfigReader reader, ConfigEntry? args, AlertingOptions detection, PagerDutyOptions pagerDuty)
    {
        if (args is not { } entry || reader.Mapping(entry.Value, ArgsPath) is not { } mapping)
        {
            return (detection, pagerDuty);
        }

        foreach (var (key, keyNode, value) in reader.Entries(mapping, ArgsPath))
        {
            var path = ConfigReader.Child(ArgsPath, key);
            if (OwnArgs.Contains(key))
            {
                reader.Own(path, keyNode);
            }

            if (ReadPagerDutyArg(reader, key, value, path, pagerDuty) is { } read)
            {
                pagerDuty = read;
            }
            else
            {
                detection = ReadDetectionArg(reader, key, keyNode, value, path, detection);
            }
        }

        return (detection, pagerDuty);
    }

    private static AlertingOptions ReadDetectionArg(ConfigReader reader, string key, YamlNode keyNode, YamlNode value, string path, AlertingOptions options) =>
        key switch
        {
            "failure_threshold" => reader.ReadInt(value, path, 1, Missing) is { } v ? options with { FailureThreshold = v } : options,
            "failure_threshold_window_seconds" => reader.ReadSeconds(value, path, Missing) is { } v ? options with { FailureWindow = v } : options,
            "hanging_threshold_seconds" => reader.ReadSeconds(value, path, Missing) is { } v ? options with { HangingThreshold = v } : options,
            "hanging_threshold_window_seconds" => reader.ReadSeconds(value, path, Missing) is { } v ? options with { HangingWindow = v } : options,
            "hanging_threshold_fails" => reader.ReadInt(value, path, 1, Missing) is { } v ? options with { HangingThresholdFails = v } : options,
            "ignore_client_errors" => reader.ReadBool(value, path, Missing) is { } v ? options with { IgnoreClientErrors = v } : options,
            "per_model_group" => reader.ReadBool(value, path, Missing) is { } v ? options with { PerModelGroup = v } : options,
            "outage_alert_ttl" => reader.ReadSeconds(value, path, Missing) is { } v ? options with { OutageWindow = v } : options,
            "region_outage_alert_ttl" => reader.ReadSeconds(value, path, Missing) is { } v ? options with { RegionOutageWindow = v } : options,
            "minor_outage_alert_threshold" => reader.ReadInt(value, path, 1, Missing) is { } v ? options with { MinorOutageThreshold = v } : options,
            "major_outage_alert_threshold" => reader.ReadInt(value, path, 1, Missing) is { } v ? options with { MajorOutageThreshold = v } : options,
            "daily_report_frequency" => reader.ReadSeconds(value, path, Missing) is { } v ? options with { DailyReportFrequency = v } : options,

            // LiteLLM's knobs for what LlmGate does otherwise: budget alerts go once per level and budget period,
            // reports are checked every second, outage messages list the top deployments.
            "budget_alert_ttl" or "report_check_interval" or "max_outage_alert_list_size" => options,
            _ => NotImplemented(reader, path, keyNode, options),
        };

    /// <summary>The PagerDuty channel's keys; null when <paramref name="key"/> is not one of them.</summary>
    private static PagerDutyOptions? ReadPagerDutyArg(ConfigReader reader, string key, YamlNode value, string path, PagerDutyOptions options) =>
        key switch
        {
            "failure_severity" => ReadSeverity(reader, value, path) is { } v ? options with { FailureSeverity = v } : options,
            "hanging_severity" => ReadSeverity(reader, value, path) is { } v ? options with { HangingSeverity = v } : options,
            "pagerduty_source" => ReadSource(reader, value, path) is { } v ? options with { Source = v } : options,
            "pagerduty_events_url" => ReadString(reader, value, path) is { } v && reader.ParseHttpUrl(v, path, value) is { } url
                ? options with { EventsUrl = url }
                : options,
            _ => null,
        };

    private static AlertingOptions NotImplemented(ConfigReader reader, string path, YamlNode keyNode, AlertingOptions options)
    {
        reader.AddNotImplemented(path, keyNode);
        return options;
    }

    private static string? ReadString(ConfigReader reader, YamlNode value, string path) =>
        reader.ReadString(value, path, Missing, "alerting cannot be configured without it");

    private static string? ReadSeverity(ConfigReader reader, YamlNode value, string path)
    {
        var severity = ReadString(reader, value, path)?.Trim().ToLowerInvariant();
        if (severity is null || Severities.Contains(severity))
        {
            return severity;
        }

        reader.Error(path, value, $"must be one of {string.Join(", ", Severities)}");
        return null;
    }

    private static string? ReadSource(ConfigReader reader, YamlNode value, string path)
    {
        var source = ReadString(reader, value, path)?.Trim();
        if (source is { Length: 0 })
        {
            reader.Error(path, value, "must not be empty");
            return null;
        }

        return source;
    }
}
