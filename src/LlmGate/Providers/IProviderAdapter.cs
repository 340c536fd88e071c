using LlmGate.Proxy;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Providers;

/// <summary>
/// What differs between providers: how a call is put on the wire and how the answer comes back. Timeouts, retries,
/// cancellation and alerting are the forwarder's, the same for every provider. Adding a provider is one adapter.
/// </summary>
internal interface IProviderAdapter
{
    /// <summary>The upstream request: URL, credentials and body (for OpenAI-compatible providers, the client's bytes).</summary>
    HttpRequestMessage CreateRequest(ProviderCall call);

    /// <summary>
    /// Writes a successful answer to the client: status, headers and body. <paramref name="body"/> already enforces the
    /// stream timeout and reports progress; for streams, flush each chunk as it arrives.
    /// </summary>
    Task RelayAsync(HttpContext context, HttpResponseMessage response, Stream body, ProviderCall call, CancellationToken cancellationToken);

    /// <summary>Reads an error answer into OpenAI's error fields (message, type, param).</summary>
    UpstreamError ParseError(ReadOnlySpan<byte> body, int status);
}
