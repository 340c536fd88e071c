using LlmGate.Calls;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Providers;

/// <summary>
/// What differs between providers: how a call is put on the wire, how the answer comes back, and what its errors mean.
/// Timeouts, retries, cancellation and observation are the forwarder's, the same for every provider. Adapters are
/// singleton services (DI gives them a <see cref="TimeProvider"/>, an <see cref="HttpClient"/> for tokens, ...);
/// adding a provider is one adapter and its <see cref="ProviderCatalog"/> entries.
/// </summary>
internal interface IProviderAdapter
{
    /// <summary>The name <see cref="ProviderInfo.AdapterName"/> refers to.</summary>
    string Name { get; }

    /// <summary>
    /// Reads, once when the config is loaded, what this provider needs of a deployment beyond its URL and key (a project,
    /// a region, credentials). Throws <see cref="ProviderConfigurationException"/> for a setting that can never work:
    /// the gateway then refuses to start, naming the deployment.
    /// </summary>
    IProviderSettings? Configure(ProviderEndpoint endpoint, Func<string, string?> getEnvironmentVariable) => null;

    /// <summary>
    /// The upstream request: URL, credentials and body (for OpenAI-compatible providers, the client's bytes). Asynchronous
    /// so that an adapter can fetch a token or sign the request first; a <see cref="ProviderRequestException"/> says the
    /// request cannot be put into the provider's format (the client's 400, never retried).
    /// </summary>
    ValueTask<HttpRequestMessage> CreateRequestAsync(ProviderCall call, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a successful answer to the client: status, headers and body. <paramref name="body"/> already enforces the
    /// stream timeout and reports progress; for streams, flush each chunk as it arrives. Returns the tokens used when the
    /// adapter read them anyway (a translated answer); null when it did not (bytes passed through).
    /// </summary>
    Task<TokenUsage?> RelayAsync(HttpContext context, HttpResponseMessage response, Stream body, ProviderCall call, CancellationToken cancellationToken);

    /// <summary>Reads an error answer into OpenAI's error fields and the provider's reason (from its status, type and code).</summary>
    UpstreamError ParseError(ReadOnlySpan<byte> body, int status);

    /// <summary>The same, for a provider that also says what went wrong in a header (Bedrock's <c>x-amzn-ErrorType</c>).</summary>
    UpstreamError ParseError(ReadOnlySpan<byte> body, int status, System.Net.Http.Headers.HttpResponseHeaders headers) => ParseError(body, status);
}
