using LlmGate.Configuration;
using LlmGate.OpenAi;

namespace LlmGate.Providers;

/// <summary>
/// Where and how one deployment's calls go: its provider and adapter, base URL and credentials, resolved once at load
/// from <c>litellm_params</c> and the provider's environment variables (LiteLLM's names and precedence).
/// </summary>
internal sealed class ProviderEndpoint
{
    private readonly Uri[] _endpoints;

    public ProviderEndpoint(DeploymentConfig config, ProviderAdapters adapters, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(adapters);
        Config = config;
        (ProviderName, UpstreamModelTemplate) = ProviderCatalog.Split(config.Model);
        Provider = ProviderCatalog.Find(ProviderName);
        Adapter = adapters.For(Provider?.AdapterName ?? OpenAiCompatibleAdapter.AdapterName);
        string? Variable(string? name) => name is null ? null : getEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
        var apiBase = config.ApiBase ?? Variable(Provider?.ApiBaseVariable) ?? Provider?.DefaultApiBase;
        ApiBase = apiBase is null ? null : Provider is null ? new Uri(apiBase.TrimEnd('/') + "/") : Provider.BaseUri(apiBase);
        ApiKey = config.ApiKey ?? (config.MissingApiKeyVariable is null ? Variable(Provider?.ApiKeyVariable) ?? Variable(Provider?.FallbackApiKeyVariable) : null);
        AuthorizationHeader = ApiKey is null ? null : "Bearer " + ApiKey;
        ApiVersion = Param("api_version") ?? Variable(Provider?.ApiVersionVariable) ?? Provider?.DefaultApiVersion;
        // As in OpenAI's Azure client: a configured token wins over a key; the token's variable only fills in for no key.
        BearerToken = Param("azure_ad_token") ?? (ApiKey is null ? Variable(Provider?.TokenVariable) : null);
        try
        {
            Settings = Provider is null ? null : Adapter.Configure(this, Variable);
        }
        catch (ProviderConfigurationException exception)
        {
            ConfigurationError = exception.Message;
        }

        // Azure OpenAI took stream_options from api-version 2024-09-01-preview on; older versions refuse the field.
        AcceptsStreamUsageRequest = Provider is { AcceptsStreamUsageRequest: true }
            && (Provider.AdapterName != AzureOpenAiAdapter.AdapterName || string.CompareOrdinal(ApiVersion ?? AzureOpenAiAdapter.DefaultApiVersion, "2024-09-01") >= 0);
        UnusableReason = ConfigurationError ?? DescribeUnusable() ?? Settings?.UnusableReason;
        _endpoints = ApiBase is null
            ? []
            : [new Uri(ApiBase, "chat/completions"), new Uri(ApiBase, "completions"), new Uri(ApiBase, "embeddings"), new Uri(ApiBase, "messages"), new Uri(ApiBase, "responses"),
                new Uri(ApiBase, "images/generations"), new Uri(ApiBase, "audio/speech"), new Uri(ApiBase, "moderations"), new Uri(ApiBase, "rerank"),
                new Uri(ApiBase, "audio/transcriptions"), new Uri(ApiBase, "audio/translations")];
    }

    public DeploymentConfig Config { get; }

    /// <summary>What the adapter read of this deployment at load beyond URL and key (a project, a region, credentials); null for most providers.</summary>
    public IProviderSettings? Settings { get; }

    /// <summary>A provider setting that can never work (a credentials file that cannot be read): the gateway refuses to start.</summary>
    public string? ConfigurationError { get; }

    /// <summary>A provider-specific <c>litellm_params</c> value, when the deployment sets it and this provider reads it.</summary>
    public string? Param(string name) => Provider is not null && Provider.Params.Contains(name) ? Config.ProviderParams.GetValueOrDefault(name) : null;

    public string ProviderName { get; }

    /// <summary>Null for providers that need an adapter LlmGate does not have yet.</summary>
    public ProviderInfo? Provider { get; }

    /// <summary>The gateway may ask this deployment for a stream's usage (<see cref="ProviderInfo.AcceptsStreamUsageRequest"/>, and an Azure API version that takes it).</summary>
    public bool AcceptsStreamUsageRequest { get; }

    /// <summary>The provider's adapter; only called when <see cref="UnusableReason"/> is null.</summary>
    public IProviderAdapter Adapter { get; }

    /// <summary>The upstream model without provider prefix; may hold <c>*</c>, filled from the request.</summary>
    public string UpstreamModelTemplate { get; }

    /// <summary>Why calls cannot be made (no key, no <c>api_base</c>, no adapter); null when they can.</summary>
    public string? UnusableReason { get; }

    /// <summary>Ends with '/', so relative paths like <c>chat/completions</c> append.</summary>
    public Uri? ApiBase { get; }

    public string? ApiKey { get; }

    public string? AuthorizationHeader { get; }

    /// <summary><c>api_version</c>, its provider's variable, or its default; null for providers without versions.</summary>
    public string? ApiVersion { get; }

    /// <summary>A bearer token used instead of the key (Azure's <c>azure_ad_token</c>); null when none.</summary>
    public string? BearerToken { get; }

    /// <summary>The URL shown in the <c>x-litellm-model-api-base</c> header: no credentials, no query.</summary>
    /// <remarks>User info (<c>https://user:pass@host</c>) is left out with the query: the URL reaches clients and metrics.</remarks>
    public string? PublicApiBase => field ??= Settings?.PublicApiBase
        ?? ApiBase?.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped).TrimEnd('/');

    /// <summary>The OpenAI-style URL of an endpoint under <see cref="ApiBase"/>; null when there is none.</summary>
    public Uri? EndpointUri(ProxyEndpointKind kind) => _endpoints.Length == 0 ? null : _endpoints[(int)kind];

    private string? DescribeUnusable()
    {
        if (Provider is null)
        {
            return $"provider '{ProviderName}' is not supported by this version of LlmGate";
        }

        if (ApiBase is null)
        {
            return $"provider '{ProviderName}' needs litellm_params.api_base";
        }

        if (Config.MissingApiKeyVariable is { } variable)
        {
            return $"its api_key comes from environment variable {variable}, which is not set on the gateway";
        }

        // A hosted API refuses calls without a key; a custom api_base (a local server) usually needs none.
        // A provider whose api_base is always custom (Azure) still needs a key or a token.
        if (ApiKey is null && BearerToken is null && Provider.RequiresApiKey && (Config.ApiBase is null || Provider.DefaultApiBase is null))
        {
            var token = Provider.TokenVariable is { } tokenVariable ? $" (or litellm_params.azure_ad_token or {tokenVariable})" : "";
            var fallback = Provider.FallbackApiKeyVariable is { } second ? $" (or {second})" : "";
            return $"it has no API key: set litellm_params.api_key or the environment variable {Provider.ApiKeyVariable}{fallback}{token}";
        }

        return null;
    }
}
