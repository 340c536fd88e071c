using YamlDotNet.RepresentationModel;

namespace LlmGate.Configuration;

/// <summary>
/// Reads the router keys (retries, fallbacks, cooldowns, strategy) from <c>router_settings</c> or
/// <c>litellm_settings</c>, and merges the two: <c>router_settings</c> wins, as LiteLLM's Router arguments do.
/// </summary>
internal static class RouterSettingsReader
{
    private const string StrategyNames = "simple-shuffle, least-busy or latency-based-routing";

    /// <summary>Reads <paramref name="key"/> into <paramref name="fields"/>; false when it is not a router key of this section.</summary>
    public static bool TryRead(ConfigReader reader, string section, string key, YamlNode value, RouterSettingsFields fields)
    {
        var path = ConfigReader.Child(section, key);
        switch (key)
        {
            case "num_retries":
                fields.NumRetries = reader.ReadInt(value, path, 0);
                return true;
            case "drop_params" when section == "litellm_settings":
                fields.DropParams = reader.ReadBool(value, path);
                return true;
            case "retry_after":
                fields.MinRetryWait = ReadSecondsOrZero(reader, value, path);
                return true;
            case "fallbacks":
                fields.Fallbacks = ReadFallbackMap(reader, value, path);
                return true;
            case "context_window_fallbacks":
                fields.ContextWindowFallbacks = ReadFallbackMap(reader, value, path);
                return true;
            case "content_policy_fallbacks":
                fields.ContentPolicyFallbacks = ReadFallbackMap(reader, value, path);
                return true;
            case "default_fallbacks":
                fields.DefaultFallbacks = ReadGroupList(reader, value, path);
                return true;
            case "max_fallbacks":
                fields.MaxFallbacks = reader.ReadInt(value, path, 0);
                return true;
            case "allowed_fails":
                fields.AllowedFails = reader.ReadInt(value, path, 0);
                return true;
            case "cooldown_time":
                fields.CooldownTime = ReadSecondsOrZero(reader, value, path);
                return true;
            case "disable_cooldowns":
                fields.DisableCooldowns = reader.ReadBool(value, path);
                return true;
            case "routing_strategy" when section == "router_settings":
                fields.RoutingStrategy = ReadStrategy(reader, value, path);
                return true;
            case "model_group_alias" when section == "router_settings":
                fields.ModelGroupAlias = ReadAliases(reader, value, path);
                return true;
            default:
                return false;
        }
    }

    /// <summary>One <see cref="RouterOptions"/> from both sections, with fallback targets checked against the model groups.</summary>
    public static RouterOptions Merge(ConfigReader reader, RouterSettingsFields router, RouterSettingsFields litellm, IReadOnlyList<DeploymentConfig> deployments)
    {
        var defaults = RouterOptions.Default;
        var cooldownTime = router.CooldownTime ?? litellm.CooldownTime ?? defaults.CooldownTime;
        var options = new RouterOptions
        {
            NumRetries = router.NumRetries ?? litellm.NumRetries ?? defaults.NumRetries,
            MinRetryWait = router.MinRetryWait ?? litellm.MinRetryWait ?? defaults.MinRetryWait,
            Fallbacks = router.Fallbacks ?? litellm.Fallbacks ?? defaults.Fallbacks,
            DefaultFallbacks = router.DefaultFallbacks ?? litellm.DefaultFallbacks ?? defaults.DefaultFallbacks,
            ContextWindowFallbacks = router.ContextWindowFallbacks ?? litellm.ContextWindowFallbacks ?? defaults.ContextWindowFallbacks,
            ContentPolicyFallbacks = router.ContentPolicyFallbacks ?? litellm.ContentPolicyFallbacks ?? defaults.ContentPolicyFallbacks,
            MaxFallbacks = router.MaxFallbacks ?? litellm.MaxFallbacks ?? defaults.MaxFallbacks,
            AllowedFails = router.AllowedFails ?? litellm.AllowedFails ?? defaults.AllowedFails,

            // A cooldown of 0 s is no cooldown at all.
            CooldownTime = cooldownTime,
            DisableCooldowns = (router.DisableCooldowns ?? litellm.DisableCooldowns ?? false) || cooldownTime == TimeSpan.Zero,
            RoutingStrategy = router.RoutingStrategy ?? defaults.RoutingStrategy,
            ModelGroupAlias = router.ModelGroupAlias ?? defaults.ModelGroupAlias,
        };
        WarnUnknownTargets(reader, options, router, deployments);
        return options;
    }

    // LiteLLM's forms: "alias": "group", or "alias": {model: "group", hidden: true} (hidden only keeps it off /v1/models).
    private static Dictionary<string, string>? ReadAliases(ConfigReader reader, YamlNode value, string path)
    {
        if (ConfigReader.IsNull(value) || reader.Mapping(value, path, "a mapping from a model name to the model group that serves it") is not { } mapping)
        {
            return null;
        }

        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (alias, _, target) in reader.Entries(mapping, path))
        {
            var aliasPath = ConfigReader.Child(path, alias);
            var group = target is YamlMappingNode form && form.Children.TryGetValue(new YamlScalarNode("model"), out var model)
                ? reader.ReadString(model, ConfigReader.Child(aliasPath, "model"))
                : target is YamlScalarNode ? reader.ReadString(target, aliasPath) : null;
            if (string.IsNullOrWhiteSpace(group))
            {
                reader.Error(aliasPath, target, "must be a model group name, or a mapping with one under 'model'");
                continue;
            }

            aliases[alias] = group.Trim();
        }

        return aliases;
    }

    private static TimeSpan? ReadSecondsOrZero(ConfigReader reader, YamlNode value, string path)
    {
        const string Requirement = "a number of seconds >= 0";
        if (reader.ReadNumber(value, path, Requirement) is not { } seconds)
        {
            return null;
        }

        if (seconds < 0 || seconds > 86_400)
        {
            reader.Error(path, value, $"must be {Requirement} and at most 86400");
            return null;
        }

        return TimeSpan.FromTicks((long)decimal.Ceiling(seconds * TimeSpan.TicksPerSecond));
    }

    private static RoutingStrategyKind? ReadStrategy(ConfigReader reader, YamlNode value, string path)
    {
        var name = reader.ReadString(value, path)?.Trim();
        switch (name)
        {
            case null:
                return null;
            case "simple-shuffle":
                return RoutingStrategyKind.SimpleShuffle;
            case "least-busy":
                return RoutingStrategyKind.LeastBusy;
            case "latency-based-routing":
                return RoutingStrategyKind.LatencyBased;
            case "usage-based-routing" or "usage-based-routing-v2" or "cost-based-routing":
                reader.Warning(path, value, $"{name} is not implemented yet; simple-shuffle is used (LlmGate implements {StrategyNames})");
                return RoutingStrategyKind.SimpleShuffle;
            default:
                reader.Warning(path, value, $"unknown routing strategy; simple-shuffle is used (expected {StrategyNames})");
                return RoutingStrategyKind.SimpleShuffle;
        }
    }

    // LiteLLM's shape: [{"gpt-4o": ["gpt-4o-mini"]}, {"claude": ["gpt-4o"]}]; a single mapping is accepted too.
    private static Dictionary<string, IReadOnlyList<string>>? ReadFallbackMap(ConfigReader reader, YamlNode value, string path)
    {
        if (ConfigReader.IsNull(value))
        {
            return null;
        }

        var items = value switch
        {
            YamlSequenceNode sequence => sequence.Children.ToList(),
            YamlMappingNode mapping => [mapping],
            _ => null,
        };
        if (items is null)
        {
            reader.Error(path, value, "must be a list of mappings from a model group to the groups to try, e.g. [{\"gpt-4o\": [\"gpt-4o-mini\"]}]");
            return null;
        }

        var map = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = ConfigReader.Item(path, i);
            if (reader.Mapping(items[i], itemPath, "a mapping from a model group to the groups to try") is not { } mapping)
            {
                continue;
            }

            foreach (var (group, keyNode, targets) in reader.Entries(mapping, itemPath))
            {
                var groupPath = ConfigReader.Child(itemPath, group);
                if (ReadGroupList(reader, targets, groupPath) is not { } list)
                {
                    continue;
                }

                if (!map.TryAdd(group, list))
                {
                    reader.Warning(groupPath, keyNode, $"model group '{group}' has fallbacks listed already; the first list is used");
                }
            }
        }

        return map;
    }

    private static IReadOnlyList<string>? ReadGroupList(ConfigReader reader, YamlNode value, string path)
    {
        if (ConfigReader.IsNull(value))
        {
            return null;
        }

        if (value is YamlScalarNode)
        {
            return reader.ReadString(value, path)?.Trim() is { Length: > 0 } single ? [single] : null;
        }

        if (reader.Sequence(value, path, "a list of model group names") is not { } sequence)
        {
            return null;
        }

        var groups = new List<string>(sequence.Children.Count);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var itemPath = ConfigReader.Item(path, i);
            var name = sequence.Children[i] is YamlScalarNode ? reader.ReadString(sequence.Children[i], itemPath)?.Trim() : null;
            if (string.IsNullOrEmpty(name))
            {
                reader.Error(itemPath, sequence.Children[i], "must be a model group name");
                continue;
            }

            groups.Add(name);
        }

        return groups;
    }

    // A target no model_name serves fails at request time, and a list keyed by a name no model_name has never applies;
    // say so now. Wildcard groups serve any name their pattern matches, so with one, nothing is reported.
    private static void WarnUnknownTargets(ConfigReader reader, RouterOptions options, RouterSettingsFields router, IReadOnlyList<DeploymentConfig> deployments)
    {
        if (deployments.Any(d => d.ModelName.Contains('*', StringComparison.Ordinal)))
        {
            return;
        }

        var groups = deployments.Select(d => d.ModelName).ToHashSet(StringComparer.Ordinal);
        var section = router.Fallbacks is null && router.DefaultFallbacks is null ? "litellm_settings" : "router_settings";
        var targets = options.Fallbacks.Values
            .Concat(options.ContextWindowFallbacks.Values)
            .Concat(options.ContentPolicyFallbacks.Values)
            .Append(options.DefaultFallbacks)
            .SelectMany(t => t)
            .Distinct(StringComparer.Ordinal)
            .Where(t => !groups.Contains(t));
        foreach (var target in targets)
        {
            reader.Warning(section, null, $"fallback model group '{target}' is not a model_name in model_list; it is skipped");
        }

        foreach (var (alias, group) in options.ModelGroupAlias.Where(a => !groups.Contains(a.Value)))
        {
            reader.Warning("router_settings.model_group_alias", null, $"model_group_alias '{alias}' names model group '{group}', which is not a model_name in model_list; calls for '{alias}' find no model");
        }

        // A list under a name no call can have never applies: a typo there loses the failover without a sign.
        var keys = options.Fallbacks.Keys
            .Concat(options.ContextWindowFallbacks.Keys)
            .Concat(options.ContentPolicyFallbacks.Keys)
            .Distinct(StringComparer.Ordinal)
            .Where(k => k != "*" && !groups.Contains(k));
        foreach (var key in keys)
        {
            reader.Warning(section, null, $"fallbacks are listed for model group '{key}', which is not a model_name in model_list; they never apply");
        }
    }
}
