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

    /// <summary>
    /// <c>model_info.mode</c> as written (<c>chat</c>, <c>completion</c>, <c>embedding</c>, ...): which call <c>/health</c>
    /// makes; null means chat.
    /// </summary>
    public string? Mode { get; init; }

    /// <summary><c>model_info.health_check_timeout</c>: how long a health check of this deployment may take; null means LiteLLM's 60 s.</summary>
    public TimeSpan? HealthCheckTimeout { get; init; }

    /// <summary><c>model_info.health_check_max_tokens</c>: the <c>max_tokens</c> of a chat or completion health check; null means 5.</summary>
    public int? HealthCheckMaxTokens { get; init; }

    /// <summary><c>model_info.health_check_model</c>: the model a health check asks for instead (a wildcard deployment's only way to be checked).</summary>
    public string? HealthCheckModel { get; init; }

    /// <summary><c>model_info.disable_background_health_check</c>: the background checks leave this deployment out.</summary>
    public bool DisableBackgroundHealthCheck { get; init; }

    /// <summary>1-based line of the entry in the YAML file, for messages.</summary>
    public int Line { get; init; }
}
