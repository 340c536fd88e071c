using LlmGate.OpenAi;

namespace LlmGate.Providers;

/// <summary>A routed call, ready for a provider adapter: the endpoint, the chosen deployment's provider endpoint and the client's body as received.</summary>
/// <param name="Body">The client's request body, untouched; <paramref name="Summary"/> locates its fields.</param>
/// <param name="UpstreamModel">The model name the provider receives (no provider prefix, wildcard filled).</param>
internal sealed record ProviderCall(
    ProxyEndpointKind Kind,
    string ModelGroup,
    string DeploymentId,
    ProviderEndpoint Endpoint,
    ReadOnlyMemory<byte> Body,
    RequestSummary Summary,
    string UpstreamModel)
{
    public bool Stream => Summary.Stream;

    /// <summary>LiteLLM's <c>drop_params</c> for this call (the request's, else the deployment's, else the config's).</summary>
    public bool DropUnsupportedParams { get; init; }
}
