using LlmGate.Calls;
using LlmGate.OpenAi;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Providers.Cloudflare;

/// <summary>
/// Cloudflare Workers AI (<c>cloudflare/</c>) on its native run API, as LiteLLM calls it (not Cloudflare's
/// OpenAI-compatible endpoint): <c>POST …/accounts/{account}/ai/run/{model}</c> with the key as a <c>Bearer</c> token.
/// Chat completions only.
/// </summary>
internal sealed class CloudflareAdapter(TimeProvider time) : IProviderAdapter
{
    public const string AdapterName = "cloudflare";

    public string Name => AdapterName;

    public IProviderSettings? Configure(ProviderEndpoint endpoint, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        // An api_base (or CLOUDFLARE_API_BASE) is the run prefix itself; without one, the account id makes it.
        var configured = endpoint.Config.ApiBase ?? getEnvironmentVariable("CLOUDFLARE_API_BASE");
        return new CloudflareSettings(configured is not null
            ? endpoint.ApiBase?.AbsoluteUri
            : getEnvironmentVariable("CLOUDFLARE_ACCOUNT_ID") is { } account ? CloudflareSettings.RunPrefix(account) : null);
    }

    public ValueTask<HttpRequestMessage> CreateRequestAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        if (call.Kind != ProxyEndpointKind.ChatCompletions)
        {
            var endpoint = call.Kind == ProxyEndpointKind.Embeddings ? "/embeddings" : "/completions";
            throw new ProviderRequestException($"{endpoint} is not supported by provider {AdapterName}; use /chat/completions.");
        }

        var settings = (CloudflareSettings)call.Endpoint.Settings!;
        var request = ProviderRequests.PostJson(settings.RunUri(call.UpstreamModel), UnsupportedParams.Translate(call, body => CloudflareRequestTranslator.Translate(body.Span, call.Stream)));
        if (call.Endpoint.AuthorizationHeader is { } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return ValueTask.FromResult(request);
    }

    public Task<TokenUsage?> RelayAsync(HttpContext context, HttpResponseMessage response, Stream body, ProviderCall call, CancellationToken cancellationToken)
    {
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        if (call.Stream)
        {
            var translator = new CloudflareStreamTranslator(call.UpstreamModel, created, ChatStreamOptions.IncludeUsage(call.Body.Span));
            return TranslatedStreamRelay.RelayAsync(context, UpstreamEventStreams.ReadSseAsync(body, cancellationToken), call, translator, AdapterName, cancellationToken);
        }

        return TranslatedAnswerRelay.RelayAsync(context, body, call, answer => (CloudflareResponseTranslator.Translate(answer.Span, call.UpstreamModel, created, out var usage), usage),
            AdapterName, "a Workers AI result", cancellationToken);
    }

    public UpstreamError ParseError(ReadOnlySpan<byte> body, int status) => CloudflareErrors.Parse(body, status);
}
