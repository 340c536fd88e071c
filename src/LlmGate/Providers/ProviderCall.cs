using LlmGate.Calls;
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

    /// <summary>
    /// The gateway adds <c>stream_options.include_usage: true</c> that the client did not send, so a pass-through stream
    /// reports its tokens; the relay then hides the usage-only chunk, and the client sees the stream it asked for.
    /// </summary>
    public bool AskForStreamUsage { get; init; }

    /// <summary>The usage a relay has read so far: what an answer cut short still reports. Written by the relay only.</summary>
    public TokenUsage? UsageSoFar { get; set; }

    /// <summary>The answer's last finish reason seen so far (<c>stop</c>, <c>length</c>, ...), for traces; null until one is.</summary>
    public string? FinishReason { get; set; }

    /// <summary>Client headers a provider needs as sent (Anthropic's <c>anthropic-version</c> and <c>anthropic-beta</c> on a pass-through), lowercase names.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ClientHeaders { get; init; } = [];

    /// <summary>
    /// The inbound API (Messages, Responses) this attempt was bridged from onto chat completions: the relay's chat answer
    /// is turned back into that API's shape on its way out. Null when the attempt speaks the client's API itself.
    /// </summary>
    public ProxyEndpointKind? BridgedFrom { get; init; }

    /// <summary>
    /// A transcription's or translation's audio file: <see cref="Body"/> then holds the form's text fields as JSON, and
    /// the adapter sends both as <c>multipart/form-data</c> (<see cref="UploadContent"/>). Null for every JSON call.
    /// </summary>
    public AudioUpload? Upload { get; init; }

    /// <summary>LiteLLM's <c>drop_params</c> for this call (the request's, else the deployment's, else the config's).</summary>
    public bool DropUnsupportedParams { get; init; }
}
