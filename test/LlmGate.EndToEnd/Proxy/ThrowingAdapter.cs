using LlmGate.Calls;
using LlmGate.Providers;
using Microsoft.AspNetCore.Http;

namespace LlmGate.EndToEnd.Proxy;

/// <summary>An adapter with a bug, registered in place of the OpenAI one: it throws what no forwarder expects, before anything is sent.</summary>
internal sealed class ThrowingAdapter : IProviderAdapter
{
    public string Name => OpenAiCompatibleAdapter.AdapterName;

    public ValueTask<HttpRequestMessage> CreateRequestAsync(ProviderCall call, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("ThrowingAdapter: a bug in an adapter");

    public Task<TokenUsage?> RelayAsync(HttpContext context, HttpResponseMessage response, Stream body, ProviderCall call, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("ThrowingAdapter: a bug in an adapter");

    public UpstreamError ParseError(ReadOnlySpan<byte> body, int status) => throw new InvalidOperationException("ThrowingAdapter");
}
