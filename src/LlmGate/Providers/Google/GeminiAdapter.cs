using LlmGate.Calls;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Providers.Google;

/// <summary>
/// Google AI Studio (<c>gemini/</c>) on its native API, as LiteLLM calls it: <c>…/v1beta/models/{model}:generateContent</c>
/// (<c>:streamGenerateContent?alt=sse</c>, <c>:batchEmbedContents</c>). The key goes in the <c>x-goog-api-key</c>
/// header, never in the URL, where proxies and logs would keep it.
/// </summary>
internal sealed class GeminiAdapter(TimeProvider time) : IProviderAdapter
{
    public const string AdapterName = "gemini";

    public string Name => AdapterName;

    public IProviderSettings? Configure(ProviderEndpoint endpoint, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new GeminiSettings(endpoint.Config.ApiBase, endpoint.ApiBase?.AbsoluteUri ?? GeminiSettings.DefaultApiRoot);
    }

    public ValueTask<HttpRequestMessage> CreateRequestAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        var settings = (GeminiSettings)call.Endpoint.Settings!;
        var (method, stream, body) = GeminiWire.Translate(call, AdapterName, vertex: false);
        var request = ProviderRequests.PostJson(settings.MethodUri(call.UpstreamModel, method, stream), body);
        if (call.Endpoint.ApiKey is { } key)
        {
            request.Headers.TryAddWithoutValidation("x-goog-api-key", key);
        }

        return ValueTask.FromResult(request);
    }

    public Task<TokenUsage?> RelayAsync(HttpContext context, HttpResponseMessage response, Stream body, ProviderCall call, CancellationToken cancellationToken) =>
        GeminiWire.RelayAsync(context, body, call, time.GetUtcNow().ToUnixTimeSeconds(), AdapterName, vertex: false, cancellationToken);

    public UpstreamError ParseError(ReadOnlySpan<byte> body, int status) => GoogleErrors.Parse(body, status);
}
