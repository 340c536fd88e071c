using YamlDotNet.RepresentationModel;

namespace LlmGate.Configuration;

/// <summary>Reads <c>litellm_settings</c>, <c>router_settings</c> and <c>general_settings</c>.</summary>
internal static class SettingsReader
{
    private const long BytesPerMegabyte = 1024 * 1024;

    // Keys LlmGate implements, by where LiteLLM reads them; found anywhere else they are ignored with a pointer here.
    private static readonly Dictionary<string, string> Homes = new(StringComparer.Ordinal)
    {
        ["master_key"] = "general_settings.master_key",
        ["max_request_size_mb"] = "general_settings.max_request_size_mb",
        ["alerting"] = "general_settings.alerting",
        ["alerting_args"] = "general_settings.alerting_args",
        ["request_timeout"] = "litellm_settings.request_timeout",
        ["timeout"] = "router_settings.timeout",
        ["stream_timeout"] = "router_settings.stream_timeout",
        ["routing_strategy"] = "router_settings.routing_strategy",
    };

    /// <summary>
    /// <c>litellm_settings</c> (request_timeout, stream_timeout) or <c>router_settings</c> (timeout, stream_timeout),
    /// with the router keys both sections may hold (retries, fallbacks, cooldowns) collected into <paramref name="router"/>
    /// and the Redis keys handed to <paramref name="redisEntries"/>.
    /// </summary>
    public static (TimeSpan? Timeout, TimeSpan? StreamTimeout) ReadTimeouts(
        ConfigReader reader, ConfigEntry? section, string sectionName, string timeoutKey, RouterSettingsFields router, List<ConfigEntry>? redisEntries = null, List<ConfigEntry>? observabilityEntries = null)
    {
        TimeSpan? timeout = null, streamTimeout = null;
        foreach (var entry in Entries(reader, section, sectionName))
        {
            var (key, keyNode, value) = entry;
            var path = ConfigReader.Child(sectionName, key);
            if (key == timeoutKey)
            {
                timeout = reader.ReadSeconds(value, path);
            }
            else if (key == "stream_timeout")
            {
                streamTimeout = reader.ReadSeconds(value, path);
            }
            else if (redisEntries is not null && RedisReader.Reads(sectionName, key))
            {
                redisEntries.Add(entry); // read with the other Redis sources by RedisReader
            }
            else if (observabilityEntries is not null && ObservabilityReader.Reads(sectionName, key))
            {
                observabilityEntries.Add(entry);
            }
            else if (!RouterSettingsReader.TryRead(reader, sectionName, key, value, router))
            {
                Unhandled(reader, sectionName, key, keyNode);
            }
        }

        return (timeout, streamTimeout);
    }

    /// <summary><c>general_settings</c>: master key (or env LITELLM_MASTER_KEY), request size limit and alerting.</summary>
    /// <remarks>
    /// The key and spend store's settings are handed to <paramref name="spendEntries"/>, for <see cref="SpendReader"/>;
    /// the health-check settings to <paramref name="observabilityEntries"/>, for <see cref="ObservabilityReader"/>; the
    /// alerting keys to <paramref name="alertingEntries"/>, for <see cref="AlertingReader"/>.
    /// </remarks>
    public static (string? MasterKey, long? MaxRequestBodyBytes, bool? AlwaysIncludeStreamUsage) ReadGeneralSettings(
        ConfigReader reader, ConfigEntry? section, List<ConfigEntry> spendEntries, List<ConfigEntry> observabilityEntries, Dictionary<string, ConfigEntry> alertingEntries)
    {
        const string Section = "general_settings";
        string? masterKey = null;
        var masterKeyConfigured = false;
        long? maxBytes = null;
        bool? alwaysIncludeStreamUsage = null;
        foreach (var entry in Entries(reader, section, Section))
        {
            var (key, keyNode, value) = entry;
            var path = ConfigReader.Child(Section, key);
            switch (key)
            {
                case "master_key":
                    masterKeyConfigured = !ConfigReader.IsNull(value);
                    masterKey = reader.ReadString(
                        value,
                        path,
                        ConfigSeverity.Error,
                        "the gateway will not start without the master key it names rather than serve without authentication");
                    break;
                case "max_request_size_mb":
                    if (reader.ReadPositive(value, path) is { } megabytes)
                    {
                        maxBytes = megabytes > long.MaxValue / BytesPerMegabyte
                            ? long.MaxValue
                            : (long)decimal.Ceiling(megabytes * BytesPerMegabyte);
                    }

                    break;
                case var _ when AlertingReader.Reads(key):
                    alertingEntries[key] = entry;
                    break;
                case "ui_access_mode":
                    // The console at /ui is admin-only whatever the mode: LiteLLM's admin_only.
                    if (reader.ReadString(value, path) is { } mode && mode != "admin_only")
                    {
                        reader.Warning(path, keyNode, $"'{mode}' is not implemented: the console at /ui is admin-only in every mode (LiteLLM's admin_only); sign in with the master key or UI_USERNAME/UI_PASSWORD");
                    }

                    break;
                case "always_include_stream_usage":
                    alwaysIncludeStreamUsage = reader.ReadBool(value, path);
                    break;
                case var _ when SpendReader.Reads(key):
                    spendEntries.Add(entry);
                    break;
                case var _ when ObservabilityReader.Reads(Section, key):
                    observabilityEntries.Add(entry);
                    break;
                default:
                    Unhandled(reader, Section, key, keyNode);
                    break;
            }
        }

        if (string.IsNullOrEmpty(masterKey))
        {
            // LiteLLM: general_settings.get("master_key", LITELLM_MASTER_KEY); a reference to an unset variable is
            // an error above, not a reason to fall back.
            masterKey = masterKeyConfigured ? null : reader.GetVariable("LITELLM_MASTER_KEY");
        }

        return (masterKey, maxBytes, alwaysIncludeStreamUsage);
    }

    /// <summary>A key this section does not implement: a pointer when it belongs elsewhere, else the aggregated warning.</summary>
    public static void Unhandled(ConfigReader reader, string section, string key, YamlNode keyNode)
    {
        var path = ConfigReader.Child(section, key);
        if (Homes.TryGetValue(key, out var home) && home != path)
        {
            var where = section.Length == 0 ? "at the top level" : $"under {section}";
            var hint = key == "master_key" ? " (until then, env LITELLM_MASTER_KEY applies, or no key)" : "";
            reader.Warning(path, keyNode, $"ignored: LiteLLM does not read {key} {where}; move it to {home}{hint}");
            return;
        }

        reader.AddNotImplemented(path, keyNode);
    }

    private static List<ConfigEntry> Entries(ConfigReader reader, ConfigEntry? section, string path) =>
        section is { } s && reader.Mapping(s.Value, path) is { } mapping ? reader.Entries(mapping, path) : [];
}
