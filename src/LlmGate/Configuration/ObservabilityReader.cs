using YamlDotNet.RepresentationModel;

namespace LlmGate.Configuration;

/// <summary>Reads the observability keys of <c>litellm_settings</c> and <c>general_settings</c> into <see cref="ObservabilityOptions"/>.</summary>
internal static class ObservabilityReader
{
    private static readonly HashSet<string> LitellmKeys = new(StringComparer.Ordinal)
    {
        "callbacks", "success_callback", "failure_callback", "service_callback", "json_logs",
        "require_auth_for_metrics_endpoint", "prometheus_latency_buckets", "prometheus_metrics_max_series_per_metric",
    };

    private static readonly HashSet<string> GeneralKeys = new(StringComparer.Ordinal)
    {
        "background_health_checks", "health_check_interval", "health_check_details",
    };

    // What each callback name turns on; the rest are reported as not implemented.
    private static readonly HashSet<string> Prometheus = new(StringComparer.OrdinalIgnoreCase) { "prometheus" };
    private static readonly HashSet<string> Otel = new(StringComparer.OrdinalIgnoreCase) { "otel", "opentelemetry" };
    private static readonly HashSet<string> Langfuse = new(StringComparer.OrdinalIgnoreCase) { "langfuse", "langfuse_otel" };

    public static bool Reads(string section, string key) => section switch
    {
        "litellm_settings" => LitellmKeys.Contains(key),
        "general_settings" => GeneralKeys.Contains(key),
        _ => false,
    };

    public static ObservabilityOptions Read(ConfigReader reader, IReadOnlyList<ConfigEntry> litellmEntries, IReadOnlyList<ConfigEntry> generalEntries)
    {
        var options = ObservabilityOptions.Default;
        bool prometheus = false, otel = false, langfuse = false;
        bool? jsonLogs = null;
        var ignored = new List<string>();
        foreach (var (key, _, value) in litellmEntries)
        {
            var path = ConfigReader.Child("litellm_settings", key);
            switch (key)
            {
                case "callbacks" or "success_callback" or "failure_callback" or "service_callback":
                    foreach (var name in Names(reader, value, path))
                    {
                        if (key != "service_callback" && Prometheus.Contains(name))
                        {
                            prometheus = true;
                        }
                        else if (key != "service_callback" && Otel.Contains(name))
                        {
                            otel = true;
                        }
                        else if (key != "service_callback" && Langfuse.Contains(name))
                        {
                            langfuse = true;
                        }
                        else if (!ignored.Contains($"{key}: {name}"))
                        {
                            ignored.Add($"{key}: {name}");
                        }
                    }

                    break;
                case "json_logs":
                    jsonLogs = reader.ReadBool(value, path);
                    break;
                case "require_auth_for_metrics_endpoint":
                    options = options with { RequireAuthForMetrics = reader.ReadBool(value, path) ?? true };
                    break;
                case "prometheus_latency_buckets":
                    if (Buckets(reader, value, path) is { } buckets)
                    {
                        options = options with { LatencyBuckets = buckets };
                    }

                    break;
                case "prometheus_metrics_max_series_per_metric":
                    options = options with { MaxSeriesPerMetric = reader.ReadInt(value, path, 1) ?? options.MaxSeriesPerMetric };
                    break;
            }
        }

        foreach (var (key, _, value) in generalEntries)
        {
            var path = ConfigReader.Child("general_settings", key);
            switch (key)
            {
                case "background_health_checks":
                    options = options with { BackgroundHealthChecks = reader.ReadBool(value, path) ?? false };
                    break;
                case "health_check_interval":
                    options = options with { HealthCheckInterval = reader.ReadSeconds(value, path) ?? options.HealthCheckInterval };
                    break;
                case "health_check_details":
                    options = options with { HealthCheckDetails = reader.ReadBool(value, path) ?? true };
                    break;
            }
        }

        // LiteLLM: JSON_LOGS is read at import, strictly "true"; the config's setting wins.
        jsonLogs ??= string.Equals(reader.GetVariable("JSON_LOGS")?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        foreach (var name in ignored)
        {
            reader.Warning("litellm_settings", null, $"callback not implemented, ignored: {name}");
        }

        return options with { Prometheus = prometheus, Otel = otel, Langfuse = langfuse, JsonLogs = jsonLogs.Value, IgnoredCallbacks = ignored };
    }

    // LiteLLM takes a list; a single name is accepted too (as its callback setter does).
    private static IEnumerable<string> Names(ConfigReader reader, YamlNode value, string path)
    {
        if (ConfigReader.IsNull(value))
        {
            yield break;
        }

        if (value is YamlScalarNode && reader.ReadString(value, path) is { Length: > 0 } single)
        {
            yield return single.Trim();
            yield break;
        }

        if (reader.Sequence(value, path, "a list of callback names") is not { } list)
        {
            yield break;
        }

        var index = 0;
        foreach (var item in list)
        {
            if (reader.ReadString(item, ConfigReader.Item(path, index++)) is { Length: > 0 } name)
            {
                yield return name.Trim();
            }
        }
    }

    private static double[]? Buckets(ConfigReader reader, YamlNode value, string path)
    {
        if (reader.Sequence(value, path, "a list of bucket bounds in seconds") is not { } list)
        {
            return null;
        }

        var bounds = new List<double>();
        var index = 0;
        foreach (var item in list)
        {
            var itemPath = ConfigReader.Item(path, index++);
            if (reader.ReadNumber(item, itemPath, "must be a number of seconds") is not { } bound)
            {
                return null;
            }

            if (bounds.Count > 0 && (double)bound <= bounds[^1])
            {
                reader.Error(itemPath, item, "bucket bounds must be in ascending order; the default buckets are used");
                return null;
            }

            bounds.Add((double)bound);
        }

        return bounds.Count == 0 ? null : [.. bounds];
    }
}
