using System.Collections.Frozen;

namespace LlmGate.Providers;

/// <summary>A provider prefix of <c>litellm_params.model</c> and how to reach it.</summary>
/// <param name="Name">The prefix, e.g. <c>openai</c> in <c>openai/gpt-4o</c>.</param>
/// <param name="DefaultApiBase">Used when the deployment sets no <c>api_base</c>; null means <c>api_base</c> is required.</param>
/// <param name="ApiKeyVariable">The environment variable LiteLLM reads when <c>api_key</c> is not set.</param>
/// <param name="RequiresApiKey">A hosted API that refuses calls without a key (local servers such as Ollama do not).</param>
/// <param name="AdapterName">The <see cref="IProviderAdapter.Name"/> of the adapter that puts calls on the wire.</param>
/// <param name="ApiBaseVariable">The environment variable LiteLLM reads when <c>api_base</c> is not set (e.g. <c>AZURE_API_BASE</c>).</param>
/// <param name="ApiBasePath">A path the API lives under, appended to an <c>api_base</c> that lacks it (Ollama's <c>v1</c>).</param>
/// <param name="ApiVersionVariable">The environment variable read when <c>api_version</c> is not set.</param>
/// <param name="DefaultApiVersion">The <c>api_version</c> used when neither the deployment nor the environment sets one.</param>
/// <param name="TokenVariable">The environment variable of a bearer token used instead of a key (Azure's <c>AZURE_AD_TOKEN</c>).</param>
/// <param name="FallbackApiKeyVariable">A second variable read when <paramref name="ApiKeyVariable"/> is not set (Gemini's <c>GEMINI_API_KEY</c> after <c>GOOGLE_API_KEY</c>).</param>
/// <param name="RejectsStreamOptions">An OpenAI-compatible server known to refuse <c>stream_options</c>: the gateway never asks it for a stream's usage.</param>
/// <param name="Params">The provider-specific <c>litellm_params</c> it reads (of <c>ProviderParamNames.All</c>); others are ignored for it.</param>
internal sealed record ProviderInfo(
    string Name,
    string? DefaultApiBase,
    string? ApiKeyVariable,
    bool RequiresApiKey,
    string AdapterName,
    string? ApiBaseVariable = null,
    string? ApiBasePath = null,
    string? ApiVersionVariable = null,
    string? DefaultApiVersion = null,
    string? TokenVariable = null,
    IReadOnlySet<string>? Params = null,
    string? FallbackApiKeyVariable = null,
    bool RejectsStreamOptions = false)
{
    /// <summary>
    /// A stream's answer passes through as OpenAI's bytes, so the gateway may add <c>stream_options.include_usage</c> to
    /// learn its tokens (and hide the usage chunk from a client that did not ask); translating adapters read usage anyway.
    /// </summary>
    public bool AcceptsStreamUsageRequest => !RejectsStreamOptions
        && AdapterName is OpenAiCompatibleAdapter.AdapterName or AzureOpenAiAdapter.AdapterName or AzureAiAdapter.AdapterName;

    public IReadOnlySet<string> Params { get; } = Params ?? FrozenSet<string>.Empty;

    /// <summary>The base URL (null when it is not an http(s) URL) with a trailing '/', so relative paths append; <see cref="ApiBasePath"/> added when missing.</summary>
    public Uri? BaseUri(string apiBase)
    {
        var trimmed = apiBase.TrimEnd('/');
        if (ApiBasePath is { } path && !trimmed.EndsWith("/" + path, StringComparison.OrdinalIgnoreCase))
        {
            trimmed += "/" + path;
        }

        // A variable such as AZURE_API_BASE is not validated like the config's api_base: a bad one leaves none.
        return Uri.TryCreate(trimmed + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;
    }
}
