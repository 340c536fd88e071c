using System.Security.Cryptography;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LlmGate.Configuration;

/// <summary>Reads a LiteLLM config.yaml into a <see cref="GatewayConfig"/>, collecting every problem.</summary>
internal static class ConfigLoader
{
    /// <param name="path">The file to read; the command line passes it absolute.</param>
    /// <param name="getEnvironmentVariable">Resolves <c>os.environ/NAME</c>.</param>
    /// <param name="origin">How the user wrote the path, e.g. <c>examples/config.yaml relative to /home/me</c>: named beside
    /// <paramref name="path"/> when the file cannot be read, so a wrong working directory is plain to see.</param>
    public static ConfigLoadResult Load(string path, Func<string, string?> getEnvironmentVariable, string? origin = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            var where = origin is null ? path : $"{path} ({origin})";
            return new ConfigLoadResult(null, [new ConfigDiagnostic(ConfigSeverity.Error, "", 0, $"cannot read config file {where}: {e.Message}")]);
        }

        // The hash of exactly what was read: a reload compares it with the file's bytes then.
        var yaml = new StreamReader(new MemoryStream(bytes), detectEncodingFromByteOrderMarks: true).ReadToEnd();
        return LoadText(yaml, path, getEnvironmentVariable) with { SourceHash = SHA256.HashData(bytes) };
    }

    public static ConfigLoadResult LoadText(string yaml, string sourceName, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var reader = new ConfigReader(getEnvironmentVariable);
        if (Parse(reader, yaml, sourceName) is { } root)
        {
            var config = Read(reader, root);
            var notImplemented = string.Join(", ", reader.NotImplemented);
            if (notImplemented.Length > 0)
            {
                reader.Warning("", null, $"not implemented yet, ignored: {notImplemented}");
            }

            if (!reader.HasErrors)
            {
                return new ConfigLoadResult(config, [.. reader.Diagnostics]) { MissingVariables = [.. reader.MissingVariables], OwnKeys = [.. reader.OwnKeys] };
            }
        }

        return new ConfigLoadResult(null, [.. reader.Diagnostics]) { MissingVariables = [.. reader.MissingVariables], OwnKeys = [.. reader.OwnKeys] };
    }

    private static YamlMappingNode? Parse(ConfigReader reader, string yaml, string sourceName)
    {
        var stream = new YamlStream();
        var parser = new LineTrackingParser(new Parser(new StringReader(yaml)));
        try
        {
            // No MergingParser: it rejects a key that overrides a merged one; ConfigReader.Entries applies <<: itself.
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            var line = e is AnchorNotFoundException && parser.UnknownAliasLine > 0 ? parser.UnknownAliasLine : (int)e.Start.Line;
            var message = YamlMessage(e);
            if (message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FirstTabIndentedLine(yaml) is > 0 and var tabbed)
            {
                line = tabbed; // YamlDotNet places a tab in the indentation where the scan began, often line 1
            }

            reader.Add(new ConfigDiagnostic(ConfigSeverity.Error, "", line, $"{sourceName} is not valid YAML: {message}"));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet throws this without a position for some malformed input, e.g. an unclosed [ list.
            reader.Add(new ConfigDiagnostic(ConfigSeverity.Error, "", parser.LastLine, $"{sourceName} is not valid YAML (the error is at or after this line)"));
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            // LiteLLM's yaml.safe_load refuses a stream of several documents too.
            reader.Error("", stream.Documents[1].RootNode, $"{sourceName} holds {stream.Documents.Count} YAML documents; a config is one document");
            return null;
        }

        var root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        if (root is YamlMappingNode mapping)
        {
            return mapping;
        }

        reader.Error("", root, root is null || ConfigReader.IsNull(root)
            ? $"{sourceName} is empty: expected a mapping with model_list and settings"
            : $"{sourceName} must be a mapping with model_list and settings at the top level");
        return null;
    }

    private static GatewayConfig Read(ConfigReader reader, YamlMappingNode root)
    {
        var sections = new Dictionary<string, ConfigEntry>(StringComparer.Ordinal);
        foreach (var entry in reader.Entries(root, ""))
        {
            switch (entry.Key)
            {
                case "model_list" or "litellm_settings" or "router_settings" or "general_settings" or "environment_variables" or LlmGateSettingsReader.Section:
                    sections[entry.Key] = entry;
                    break;
                default:
                    SettingsReader.Unhandled(reader, "", entry.Key, entry.KeyNode);
                    break;
            }
        }

        // First, as in LiteLLM: these variables are set before any os.environ/ reference is resolved.
        ReadEnvironmentVariables(reader, Get(sections, "environment_variables"));
        var deployments = ModelListReader.Read(reader, Get(sections, "model_list"));
        var litellmRouter = new RouterSettingsFields();
        var routerRouter = new RouterSettingsFields();
        List<ConfigEntry> litellmRedis = [], routerRedis = [], litellmObservability = [], generalObservability = [];
        var (requestTimeout, litellmStreamTimeout) = SettingsReader.ReadTimeouts(
            reader, Get(sections, "litellm_settings"), "litellm_settings", "request_timeout", litellmRouter, litellmRedis, litellmObservability);
        var (routerTimeout, routerStreamTimeout) = SettingsReader.ReadTimeouts(reader, Get(sections, "router_settings"), "router_settings", "timeout", routerRouter, routerRedis);
        var router = RouterSettingsReader.Merge(reader, routerRouter, litellmRouter, deployments);
        List<ConfigEntry> spendEntries = [];
        Dictionary<string, ConfigEntry> alertingEntries = new(StringComparer.Ordinal);
        var (masterKey, maxRequestBodyBytes, alwaysIncludeStreamUsage) = SettingsReader.ReadGeneralSettings(reader, Get(sections, "general_settings"), spendEntries, generalObservability, alertingEntries);
        var alerting = AlertingReader.Read(reader, alertingEntries, Get(sections, LlmGateSettingsReader.Section));
        if (masterKey is null && !reader.MissingVariables.Any(m => m.Path == "general_settings.master_key"))
        {
            reader.Warning("general_settings.master_key", null, "no master key (general_settings.master_key or env LITELLM_MASTER_KEY): every request is allowed without authentication");
        }

        var config = new GatewayConfig
        {
            Deployments = deployments,
            MasterKey = masterKey,
            StreamTimeout = routerStreamTimeout ?? litellmStreamTimeout,
            Alerting = alerting,
            Router = router,
            Redis = RedisReader.Read(reader, litellmRedis, routerRedis),
            Spend = SpendReader.Read(reader, spendEntries),
            Observability = ObservabilityReader.Read(reader, litellmObservability, generalObservability),
            // LiteLLM reads LITELLM_DROP_PARAMS at import; the config's setting wins.
            DropParams = litellmRouter.DropParams ?? reader.GetVariable("LITELLM_DROP_PARAMS")?.Trim().ToUpperInvariant() is "TRUE" or "1" or "YES",
        };
        return config with
        {
            RequestTimeout = routerTimeout ?? requestTimeout ?? config.RequestTimeout,
            MaxRequestBodyBytes = maxRequestBodyBytes ?? config.MaxRequestBodyBytes,
            AlwaysIncludeStreamUsage = alwaysIncludeStreamUsage ?? config.AlwaysIncludeStreamUsage,
        };
    }

    private static void ReadEnvironmentVariables(ConfigReader reader, ConfigEntry? section)
    {
        const string Section = "environment_variables";
        if (section is not { } s || reader.Mapping(s.Value, Section) is not { } mapping)
        {
            return;
        }

        foreach (var (name, _, value) in reader.Entries(mapping, Section))
        {
            // An unset reference here only matters where it is used, which reports it.
            if (reader.TryResolve(value, ConfigReader.Child(Section, name), out var text, out _))
            {
                reader.SetConfigEnvironment(name, text);
            }
        }
    }

    private static ConfigEntry? Get(Dictionary<string, ConfigEntry> sections, string key) =>
        sections.TryGetValue(key, out var entry) ? entry : null;

    // YamlDotNet prefixes its messages with "(Line: 2, Col: 4, Idx: 8) - (Line: ...): "; the line is reported already.
    // The first line whose indentation has a tab, which YAML forbids: 1-based, 0 when none.
    private static int FirstTabIndentedLine(string yaml)
    {
        var number = 0;
        foreach (var line in yaml.AsSpan().EnumerateLines())
        {
            number++;
            var indentation = line[..(line.Length - line.TrimStart().Length)];
            if (indentation.Contains('\t'))
            {
                return number;
            }
        }

        return 0;
    }

    private static string YamlMessage(YamlException e)
    {
        var message = e.Message;
        var start = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line", StringComparison.Ordinal) && start >= 0 ? message[(start + 3)..] : message;
    }
}
