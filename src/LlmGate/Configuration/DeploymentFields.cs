using YamlDotNet.RepresentationModel;

namespace LlmGate.Configuration;

/// <summary>Collects the fields of one <c>model_list</c> entry while its keys are read in any order.</summary>
internal sealed class DeploymentFields(ConfigReader reader, string path)
{
    private readonly List<(string Name, string Path, YamlNode Node, string What)> _skipReasons = [];

    public string? ModelName { get; private set; }

    public bool ModelNameSeen { get; private set; }

    public string? Model { get; private set; }

    public bool ModelSeen { get; private set; }

    public string? ApiKey { get; private set; }

    public string? MissingApiKeyVariable { get; private set; }

    public string ApiKeyPath { get; private set; } = "";

    public YamlNode? ApiKeyNode { get; private set; }

    public string? ApiBase { get; private set; }

    public Dictionary<string, string> ProviderParams { get; } = new(StringComparer.Ordinal);

    /// <summary>OpenAI parameters set in <c>litellm_params</c> (and <c>extra_body</c>'s entries), by name: later keys win.</summary>
    public Dictionary<string, RequestDefault> RequestDefaults { get; } = new(StringComparer.Ordinal);

    public bool? DropParams { get; set; }

    public List<string> AdditionalDropParams { get; } = [];

    public TimeSpan? Timeout { get; set; }

    public TimeSpan? StreamTimeout { get; set; }

    public int? MaxRetries { get; set; }

    public int? NumRetries { get; set; }

    public double? Weight { get; set; }

    public int? EntryRpm { get; set; }

    public int? EntryTpm { get; set; }

    public int? ParamsRpm { get; set; }

    public int? ParamsTpm { get; set; }

    public string? MockResponse { get; set; }

    /// <summary>Price keys of <c>model_info</c>; they win over <see cref="ParamsPricing"/>.</summary>
    public PricingFields InfoPricing { get; } = new();

    /// <summary>Price keys of <c>litellm_params</c> (the older form in LiteLLM's docs).</summary>
    public PricingFields ParamsPricing { get; } = new();

    public string? Mode { get; set; }

    public TimeSpan? HealthCheckTimeout { get; set; }

    public int? HealthCheckMaxTokens { get; set; }

    public string? HealthCheckModel { get; set; }

    public bool DisableBackgroundHealthCheck { get; set; }

    public string? ExplicitId { get; set; }

    public string IdPath { get; set; } = "";

    public YamlNode? IdNode { get; set; }

    public void ReadModelName(YamlNode value, string keyPath)
    {
        ModelNameSeen = !ConfigReader.IsNull(value);
        ModelName = ReadRequired(value, keyPath, "model_name");
    }

    public void ReadModel(YamlNode value, string keyPath)
    {
        ModelSeen = !ConfigReader.IsNull(value);
        Model = ReadRequired(value, keyPath, "model");
    }

    public void ReadApiKey(YamlNode value, string keyPath)
    {
        ApiKeyPath = keyPath;
        ApiKeyNode = value;
        if (reader.TryResolve(value, keyPath, out var text, out var missing))
        {
            ApiKey = text.Length == 0 ? null : text;
        }

        MissingApiKeyVariable = missing;
    }

    public void ReadApiBase(YamlNode value, string keyPath)
    {
        if (reader.TryResolve(value, keyPath, out var text, out var missing))
        {
            if (reader.ParseHttpUrl(text, keyPath, value) is not null)
            {
                ApiBase = text.Trim();
            }
        }
        else if (missing is not null)
        {
            // Falling back to the provider's default endpoint would send this deployment's key somewhere else.
            _skipReasons.Add((missing, keyPath, value, "api_base"));
        }
    }

    /// <summary>The deployment (with a placeholder id), or null when it is skipped or has errors.</summary>
    public ParsedDeployment? Build(YamlNode entryNode)
    {
        if (_skipReasons.Count > 0)
        {
            foreach (var (name, keyPath, node, what) in _skipReasons)
            {
                reader.ReportMissing(name, keyPath, node, ConfigSeverity.Warning, $"deployment {path} is skipped, it cannot be used without its {what}");
            }

            if (MissingApiKeyVariable is { } key)
            {
                reader.ReportMissing(key, ApiKeyPath, ApiKeyNode, ConfigSeverity.Warning, $"deployment {path} has no API key (it is skipped anyway)");
            }

            return null;
        }

        if (ModelName is null || Model is null)
        {
            return null;
        }

        var config = new DeploymentConfig
        {
            ModelName = ModelName,
            Model = Model,
            Id = "",
            ApiKey = ApiKey,
            MissingApiKeyVariable = MissingApiKeyVariable,
            ApiBase = ApiBase,
            ProviderParams = ProviderParams,
            RequestDefaults = [.. RequestDefaults.Values],
            DropParams = DropParams,
            AdditionalDropParams = AdditionalDropParams,
            Timeout = Timeout,
            StreamTimeout = StreamTimeout,
            MaxRetries = MaxRetries,
            NumRetries = NumRetries,
            Weight = Weight ?? 1,
            // LiteLLM's router reads the entry-level value first.
            Rpm = EntryRpm ?? ParamsRpm,
            Tpm = EntryTpm ?? ParamsTpm,
            MockResponse = MockResponse,
            Pricing = PricingFields.Merge(InfoPricing, ParamsPricing),
            Mode = Mode,
            HealthCheckTimeout = HealthCheckTimeout,
            HealthCheckMaxTokens = HealthCheckMaxTokens,
            HealthCheckModel = HealthCheckModel,
            DisableBackgroundHealthCheck = DisableBackgroundHealthCheck,
            Line = ConfigReader.LineOf(entryNode),
        };
        return new ParsedDeployment(config, ExplicitId, IdPath, IdNode, ApiKeyPath, ApiKeyNode);
    }

    // Without model_name or model a deployment cannot be routed, so an unset variable skips it.
    private string? ReadRequired(YamlNode value, string keyPath, string what)
    {
        if (reader.TryResolve(value, keyPath, out var text, out var missing))
        {
            if (text.Trim().Length == 0)
            {
                reader.Error(keyPath, value, $"{what} must not be empty");
                return null;
            }

            return text.Trim();
        }

        if (missing is not null)
        {
            _skipReasons.Add((missing, keyPath, value, what));
        }

        return null;
    }
}
