using YamlDotNet.RepresentationModel;

namespace LlmGate.Configuration;

/// <summary>Reads <c>model_list</c> into deployments with unique ids.</summary>
internal static class ModelListReader
{
    private const string Section = "model_list";

    // OpenAI request parameters LiteLLM passes on from litellm_params as defaults (plus common provider ones).
    private static readonly HashSet<string> RequestDefaultNames = new(StringComparer.Ordinal)
    {
        "temperature", "top_p", "top_k", "max_tokens", "max_completion_tokens", "n", "stop", "presence_penalty",
        "frequency_penalty", "logit_bias", "logprobs", "top_logprobs", "seed", "response_format", "tools", "tool_choice",
        "parallel_tool_calls", "reasoning_effort", "user", "modalities", "audio", "prediction", "service_tier", "store",
        "web_search_options", "thinking", "safety_settings", "dimensions", "encoding_format", "verbosity",
    };

    // Prices LlmGate does not charge by (seconds, characters, images) and metadata: ignoring them changes no request.
    private static readonly HashSet<string> SilentlyIgnoredParams = new(StringComparer.Ordinal)
    {
        "input_cost_per_second", "output_cost_per_second", "output_cost_per_character", "tags", "description",
    };

    // The model_info.mode values a health check can make a call for ("embeddings" as some configs spell it).
    private static readonly HashSet<string> HealthCheckedModes = new(StringComparer.OrdinalIgnoreCase)
    {
        "chat", "completion", "embedding", "embeddings", "image_generation", "audio_speech", "moderation", "moderations", "rerank", "responses",
    };

    public static IReadOnlyList<DeploymentConfig> Read(ConfigReader reader, ConfigEntry? entry)
    {
        var list = entry is { } e ? reader.Sequence(e.Value, Section, "a list of deployments") : null;
        if (list is null || list.Children.Count == 0)
        {
            if (entry is null || ConfigReader.IsNull(entry.Value.Value) || list is not null)
            {
                reader.Warning(Section, entry?.KeyNode, "no models are configured (model_list is missing or empty): every request will fail with 'Invalid model name'; LlmGate does not load models from a database");
            }

            return [];
        }

        var parsed = new List<ParsedDeployment>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            if (ReadEntry(reader, list.Children[i], ConfigReader.Item(Section, i)) is { } deployment)
            {
                parsed.Add(deployment);
            }
        }

        return AssignIds(reader, parsed);
    }

    private static ParsedDeployment? ReadEntry(ConfigReader reader, YamlNode node, string path)
    {
        var mapping = reader.Mapping(node, path, "a deployment mapping (model_name, litellm_params)");
        if (mapping is null)
        {
            if (ConfigReader.IsNull(node))
            {
                reader.Error(path, node, "empty deployment: model_name and litellm_params are required");
            }

            return null;
        }

        var fields = new DeploymentFields(reader, path);
        ConfigEntry? litellmParamsEntry = null;
        foreach (var (key, keyNode, value) in reader.Entries(mapping, path))
        {
            var keyPath = ConfigReader.Child(path, key);
            switch (key)
            {
                case "model_name":
                    fields.ReadModelName(value, keyPath);
                    break;
                case "litellm_params":
                    litellmParamsEntry = new ConfigEntry(key, keyNode, value);
                    break;
                case "model_info":
                    ReadModelInfo(reader, value, keyPath, fields);
                    break;
                case "rpm":
                    // LiteLLM reads rpm/tpm beside litellm_params first.
                    fields.EntryRpm = reader.ReadInt(value, keyPath, 0);
                    break;
                case "tpm":
                    fields.EntryTpm = reader.ReadInt(value, keyPath, 0);
                    break;
                default:
                    reader.AddNotImplemented($"{Section}[*].{key}", keyNode);
                    break;
            }
        }

        var paramsPath = ConfigReader.Child(path, "litellm_params");
        var litellmParams = reader.Mapping(litellmParamsEntry?.Value, paramsPath);
        if (litellmParams is not null)
        {
            ReadParams(reader, litellmParams, paramsPath, fields);
        }

        if (!fields.ModelNameSeen)
        {
            reader.Error(ConfigReader.Child(path, "model_name"), node, "model_name is required");
        }

        // A litellm_params of the wrong shape is reported already.
        if (!fields.ModelSeen && (litellmParams is not null || litellmParamsEntry is not { } p || ConfigReader.IsNull(p.Value)))
        {
            reader.Error(ConfigReader.Child(paramsPath, "model"), litellmParamsEntry?.KeyNode ?? node, "litellm_params.model is required");
        }

        return fields.Build(node);
    }

    private static void ReadParams(ConfigReader reader, YamlMappingNode litellmParams, string path, DeploymentFields fields)
    {
        foreach (var (key, keyNode, value) in reader.Entries(litellmParams, path))
        {
            var keyPath = ConfigReader.Child(path, key);
            switch (key)
            {
                case "model":
                    fields.ReadModel(value, keyPath);
                    break;
                case "api_key":
                    fields.ReadApiKey(value, keyPath);
                    break;
                case "api_base":
                    fields.ReadApiBase(value, keyPath);
                    break;
                case "timeout":
                    fields.Timeout = reader.ReadSeconds(value, keyPath);
                    break;
                case "stream_timeout":
                    fields.StreamTimeout = reader.ReadSeconds(value, keyPath);
                    break;
                case "max_retries":
                    fields.MaxRetries = reader.ReadInt(value, keyPath, 0);
                    break;
                case "num_retries":
                    fields.NumRetries = reader.ReadInt(value, keyPath, 0);
                    break;
                case "weight":
                    fields.Weight = reader.ReadPositive(value, keyPath) is { } weight ? (double)weight : null;
                    break;
                case "rpm":
                    fields.ParamsRpm = reader.ReadInt(value, keyPath, 0);
                    break;
                case "tpm":
                    fields.ParamsTpm = reader.ReadInt(value, keyPath, 0);
                    break;
                case "mock_response":
                    fields.MockResponse = reader.ReadString(value, keyPath);
                    break;
                case "drop_params":
                    fields.DropParams = reader.ReadBool(value, keyPath);
                    break;
                case "additional_drop_params":
                    ReadDropList(reader, value, keyPath, fields.AdditionalDropParams);
                    break;
                case "extra_body":
                    // LiteLLM merges extra_body into the body's top level: each entry is one more default.
                    if (reader.Mapping(value, keyPath) is { } extraBody)
                    {
                        foreach (var (name, _, entry) in reader.Entries(extraBody, keyPath))
                        {
                            AddDefault(reader, fields, name, entry, ConfigReader.Child(keyPath, name));
                        }
                    }

                    break;
                // Prices are read for spend, never sent upstream as request defaults.
                case "input_cost_per_token" or "output_cost_per_token" or "cache_read_input_token_cost" or "cache_creation_input_token_cost"
                    or "input_cost_per_image" or "output_cost_per_image" or "input_cost_per_pixel" or "input_cost_per_character" or "input_cost_per_query":
                    fields.ParamsPricing.TryReadCost(reader, key, value, keyPath);
                    break;
                case var _ when RequestDefaultNames.Contains(key):
                    AddDefault(reader, fields, key, value, keyPath);
                    break;
                case var _ when ProviderParamNames.All.Contains(key):
                    if (reader.ReadString(value, keyPath, missingConsequence: $"its provider treats {key} as not configured") is { } text)
                    {
                        fields.ProviderParams[key] = text;
                    }

                    break;
                default:
                    if (!SilentlyIgnoredParams.Contains(key))
                    {
                        reader.AddNotImplemented($"{Section}[*].litellm_params.{key}", keyNode);
                    }

                    break;
            }
        }
    }

    private static void AddDefault(ConfigReader reader, DeploymentFields fields, string name, YamlNode value, string path)
    {
        var json = YamlJson.Convert(reader, value, path, out var ok);
        if (ok)
        {
            fields.RequestDefaults[name] = new RequestDefault(name, YamlJson.Property(name, json));
        }
    }

    private static void ReadDropList(ConfigReader reader, YamlNode value, string path, List<string> names)
    {
        if (reader.Sequence(value, path) is not { } list)
        {
            return;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            if (reader.ReadString(list.Children[i], ConfigReader.Item(path, i)) is { Length: > 0 } name)
            {
                names.Add(name.Trim());
            }
        }
    }

    // Besides the id, the price keys and the health-check keys, model_info is metadata that does not change routing.
    private static void ReadModelInfo(ConfigReader reader, YamlNode node, string path, DeploymentFields fields)
    {
        if (reader.Mapping(node, path) is not { } info)
        {
            return;
        }

        foreach (var (key, _, value) in reader.Entries(info, path))
        {
            var keyPath = ConfigReader.Child(path, key);
            if (fields.InfoPricing.TryReadModelInfo(reader, key, value, keyPath))
            {
                continue;
            }

            switch (key)
            {
                case "id":
                    fields.ExplicitId = reader.ReadString(value, keyPath, missingConsequence: "a derived id is used instead")?.Trim();
                    if (fields.ExplicitId is { Length: 0 })
                    {
                        reader.Error(keyPath, value, "must not be empty");
                    }

                    fields.IdNode = value;
                    fields.IdPath = keyPath;
                    break;
                case "mode":
                    fields.Mode = reader.ReadString(value, keyPath)?.Trim();
                    if (fields.Mode is { Length: > 0 } mode && !HealthCheckedModes.Contains(mode))
                    {
                        reader.Warning(keyPath, value, $"mode '{mode}' is not a call LlmGate serves (chat, completion, embedding, image_generation, audio_speech, moderation, rerank, responses): /health does not check this deployment");
                    }

                    break;
                case "health_check_timeout":
                    fields.HealthCheckTimeout = reader.ReadSeconds(value, keyPath);
                    break;
                case "health_check_max_tokens":
                    fields.HealthCheckMaxTokens = reader.ReadInt(value, keyPath, 1);
                    break;
                case "health_check_model":
                    fields.HealthCheckModel = reader.ReadString(value, keyPath)?.Trim() is { Length: > 0 } model ? model : null;
                    break;
                case "disable_background_health_check":
                    fields.DisableBackgroundHealthCheck = reader.ReadBool(value, keyPath) ?? false;
                    break;
            }
        }
    }

    private static List<DeploymentConfig> AssignIds(ConfigReader reader, List<ParsedDeployment> parsed)
    {
        var taken = new Dictionary<string, ParsedDeployment>(StringComparer.Ordinal);
        foreach (var deployment in parsed.Where(d => d.ExplicitId is not null))
        {
            if (taken.TryGetValue(deployment.ExplicitId!, out var first))
            {
                reader.Error(deployment.IdPath, deployment.IdNode, $"model_info.id '{deployment.ExplicitId}' is already used by the deployment on line {first.Config.Line}; ids must be unique");
            }
            else
            {
                taken[deployment.ExplicitId!] = deployment;
            }
        }

        var result = new List<DeploymentConfig>(parsed.Count);
        foreach (var deployment in parsed)
        {
            var config = deployment.Config;
            var id = deployment.ExplicitId;
            if (id is null)
            {
                var occurrence = 1;
                do
                {
                    id = DeploymentIds.Derive(config.ModelName, config.Model, config.ApiBase, occurrence++);
                }
                while (taken.ContainsKey(id));

                taken[id] = deployment;
            }

            config = config with { Id = id };
            if (config.MissingApiKeyVariable is { } missing)
            {
                reader.ReportMissing(missing, deployment.ApiKeyPath, deployment.ApiKeyNode, ConfigSeverity.Warning, $"deployment '{config.ModelName}' (id {id}) has no API key; calls to it fail until the variable is set");
            }

            result.Add(config);
        }

        return result;
    }
}
