namespace LlmGate.Configuration;

/// <summary>One entry of <c>model_list</c>: a deployment that serves a public model name.</summary>
internal sealed record DeploymentConfig
{
    /// <summary><c>model_name</c>: the public name clients ask for; may contain <c>*</c>.</summary>
    public required string ModelName { get; init; }

    /// <summary><c>litellm_params.model</c>: provider prefix and upstream model, e.g. <c>openai/gpt-4o</c> or <c>openai/*</c>.</summary>
    public required string Model { get; init; }

    /// <summary><c>model_info.id</c>, or a stable id derived from the entry when absent.</summary>
    public required string Id { get; init; }

    /// <summary><c>litellm_params.api_key</c>, resolved from the environment; null when not configured.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Set when <c>api_key</c> names an <c>os.environ/</c> variable that is not set: calls to this deployment fail clearly.</summary>
    public string? MissingApiKeyVariable { get; init; }

    /// <summary><c>litellm_params.api_base</c>; null means the provider's default.</summary>
    public string? ApiBase { get; init; }

    /// <summary>
    /// The provider-specific <c>litellm_params</c> (<see cref="ProviderParamNames"/>, e.g. <c>api_version</c>), as text with
    /// <c>os.environ/</c> resolved; the provider that owns each key reads it.
    /// </summary>
    public IReadOnlyDictionary<string, string> ProviderParams { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// OpenAI parameters set in <c>litellm_params</c> (<c>temperature</c>, <c>max_tokens</c>, <c>reasoning_effort</c>, the
    /// entries of <c>extra_body</c>...): defaults that a request's own top-level value replaces, as in LiteLLM.
    /// </summary>
    public IReadOnlyList<RequestDefault> RequestDefaults { get; init; } = [];

    /// <summary><c>litellm_params.drop_params</c>; null means <c>litellm_settings.drop_params</c> decides.</summary>
    public bool? DropParams { get; init; }

    /// <summary><c>litellm_params.additional_drop_params</c>: top-level parameters always removed before the call.</summary>
    public IReadOnlyList<string> AdditionalDropParams { get; init; } = [];

    /// <summary><c>litellm_params.timeout</c>: total time for a non-streamed call.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary><c>litellm_params.stream_timeout</c>: the longest wait for the next chunk of a stream.</summary>
    public TimeSpan? StreamTimeout { get; init; }

    /// <summary><c>litellm_params.max_retries</c>: this deployment's retries, when <see cref="NumRetries"/> is absent.</summary>
    public int? MaxRetries { get; init; }

    /// <summary><c>litellm_params.num_retries</c>: retries of a request whose first attempt went to this deployment.</summary>
    public int? NumRetries { get; init; }

    /// <summary>Relative share of traffic within the model group (<c>weight</c>); 1 when absent.</summary>
    public double Weight { get; init; } = 1;

    /// <summary><c>rpm</c>: requests per minute; the deployment is skipped once it reaches them.</summary>
    public int? Rpm { get; init; }

    /// <summary><c>tpm</c>: tokens per minute; a simple-shuffle weight when every deployment of the group has one.</summary>
    public int? Tpm { get; init; }

    /// <summary><c>litellm_params.mock_response</c>: answer with this text and call no upstream.</summary>
    public string? MockResponse { get; init; }

    /// <summary>Its own price and limits from <c>model_info</c> / <c>litellm_params</c>; <see cref="DeploymentPricing.None"/> when it sets none.</summary>
    public DeploymentPricing Pricing { get; init; } = DeploymentPricing.None;

    /// <summary>1-based line of the entry in the YAML file, for messages.</summary>
    public int Line { get; init; }
}
