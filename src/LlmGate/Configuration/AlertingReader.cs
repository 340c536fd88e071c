using YamlDotNet.RepresentationModel;

namespace LlmGate.Configuration;

/// <summary>
/// Reads <c>general_settings.alerting</c> and <c>alerting_args</c>: detection settings into <see cref="AlertingOptions"/>,
/// the PagerDuty channel's into <see cref="PagerDutyOptions"/>.
/// </summary>
internal static class AlertingReader
{
    private const string AlertingPath = "general_settings.alerting";
    private const string ArgsPath = "general_settings.alerting_args";
    private const string RoutingKeyVariable = "PAGERDUTY_API_KEY";
    private const string EventsUrlVariable = "PAGERDUTY_EVENTS_URL";

    // The length of a PagerDuty Events API v2 integration (routing) key.
    private const int RoutingKeyLength = 32;

    // An unset variable anywhere under alerting is an error: a gateway whose paging silently does not work is worse
    // than one that does not start.
    private const ConfigSeverity Missing = ConfigSeverity.Error;

    private static readonly string[] Severities = ["critical", "error", "warning", "info"];

    // Other targets LiteLLM knows; named in the warning since they are not secrets.
    private static readonly string[] OtherTargets = ["slack", "email", "webhook", "discord", "sns", "msteams"];

    public static AlertingOptions? Read(ConfigReader reader, ConfigEntry? alerting, ConfigEntry? args)
    {
        var pagerDutyNode = ReadTargets(reader, alerting);
        if (pagerDutyNode is null)
        {
            if (args is { } a && !ConfigReader.IsNull(a.Value))
            {
                reader.Warning(ArgsPath, a.KeyNode, "ignored: general_settings.alerting does not list \"pagerduty\"");
            }

            return null;
        }

        var routingKey = reader.GetVariable(RoutingKeyVariable);
        if (routingKey is null)
        {
            reader.ReportMissing(RoutingKeyVariable, AlertingPath, pagerDutyNode, Missing, "PagerDuty alerting needs the Events API v2 integration (routing) key in it");
        }
        else if (routingKey.Length != RoutingKeyLength)
        {
            reader.Warning(AlertingPath, pagerDutyNode, $"{RoutingKeyVariable} is {routingKey.Length} characters long, but an Events API v2 integration key has {RoutingKeyLength}; a 20-character key is probably a REST API key, which the Events API refuses");
        }

        var (detection, pagerDuty) = ReadArgs(reader, args, new AlertingOptions(), new PagerDutyOptions { RoutingKey = routingKey ?? "" });
        if (reader.GetVariable(EventsUrlVariable) is { } url)
        {
            var eventsUrl = reader.ParseHttpUrl(url, ConfigReader.Child(ArgsPath, "pagerduty_events_url"), args?.KeyNode, $"environment variable {EventsUrlVariable} (which overrides this key) ");
            pagerDuty = eventsUrl is null ? pagerDuty : pagerDuty with { EventsUrl = eventsUrl };
        }

        return routingKey is null ? null : detection with { PagerDuty = pagerDuty };
    }

    /// <summary>Checks the alerting list; returns the node of its "pagerduty" item, or null when PagerDuty is not listed.</summary>
    private static YamlNode? ReadTargets(ConfigReader reader, ConfigEntry? alerting)
    {
        if (alerting is not { } entry || reader.Sequence(entry.Value, AlertingPath, "a list such as [\"pagerduty\"]") is not { } targets)
        {
            return null;
        }

        YamlNode? pagerDuty = null;
        for (var i = 0; i < targets.Children.Count; i++)
        {
            var item = targets.Children[i];
            var path = ConfigReader.Item(AlertingPath, i);
            var target = reader.ReadString(item, path, Missing, "the alerting target it names is unknown")?.Trim().ToLowerInvariant();
            if (target is null)
            {
                continue;
            }

            if (target == "pagerduty")
            {
                pagerDuty ??= item;
            }
            else if (OtherTargets.Contains(target))
            {
                reader.Warning(path, item, $"alerting to {target} is not implemented, ignored (LlmGate alerts to pagerduty)");
            }
            else
            {
                reader.Warning(path, item, "unknown alerting target, ignored (LlmGate alerts to pagerduty)");
            }
        }

        return pagerDuty;
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
