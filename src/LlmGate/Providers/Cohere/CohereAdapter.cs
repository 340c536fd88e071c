using LlmGate.Calls;
using LlmGate.OpenAi;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Providers.Cohere;

/// <summary>
/// Cohere (<c>cohere/</c> and <c>cohere_chat/</c>) on its native v2 API, as LiteLLM calls it: chat on <c>/v2/chat</c>
/// (streams as Cohere's typed SSE events), embeddings on <c>/v2/embed</c>, rerank passed through to <c>/v2/rerank</c>, the key as a <c>Bearer</c> token.
/// </summary>
internal sealed class CohereAdapter(TimeProvider time) : IProviderAdapter
{
    public const string AdapterName = "cohere";

    public string Name => AdapterName;

    public IProviderSettings? Configure(ProviderEndpoint endpoint, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new CohereSettings(endpoint.ApiBase, endpoint.UpstreamModelTemplate);
    }

    public ValueTask<HttpRequestMessage> CreateRequestAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        var settings = (CohereSettings)call.Endpoint.Settings!;
        // A wildcard deployment fills the model from the request: a v1 model is the client's to change.
        if (CohereSettings.IsV1(call.UpstreamModel))
        {
            throw new ProviderRequestException(CohereSettings.V1Refusal(call.UpstreamModel) + ".", "model");
        }

        if (call.Kind == ProxyEndpointKind.Rerank)
        {
            // The gateway's rerank is Cohere's own shape: passed through, the model rewritten.
            return ValueTask.FromResult(Authorized(ProviderRequests.PostJson(settings.RerankUri, RequestBodyRewriter.Rewrite(call.Body, call.Summary, call.UpstreamModel).ToArray()), call));
        }

        var (uri, body) = call.Kind switch
        {
            ProxyEndpointKind.ChatCompletions => (settings.ChatUri, UnsupportedParams.Translate(call, body => CohereRequestTranslator.Translate(body.Span, call.UpstreamModel, call.Stream))),
            ProxyEndpointKind.Embeddings => (settings.EmbedUri, UnsupportedParams.Translate(call, body => CohereEmbeddings.ToEmbed(body.Span, call.UpstreamModel))),
            _ => throw new ProviderRequestException($"/completions is not supported by provider {AdapterName}; use /chat/completions."),
        };
        return ValueTask.FromResult(Authorized(ProviderRequests.PostJson(uri, body), call));
    }

    private static HttpRequestMessage Authorized(HttpRequestMessage request, ProviderCall call)
    {
        if (call.Endpoint.AuthorizationHeader is { } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return request;
    }

    public Task<TokenUsage?> RelayAsync(HttpContext context, HttpResponseMessage response, Stream body, ProviderCall call, CancellationToken cancellationToken)
    {
        if (call.Kind == ProxyEndpointKind.Rerank)
        {
            return OpenAiCompatibleAdapter.RelayBytesAsync(context, response, body, call, cancellationToken);
        }

        var created = time.GetUtcNow().ToUnixTimeSeconds();
        if (call.Kind == ProxyEndpointKind.Embeddings)
        {
            var base64 = OpenAiEmbeddings.WantsBase64(call.Body.Span);
            return TranslatedAnswerRelay.RelayAsync(context, body, call, answer => (CohereEmbeddings.FromEmbed(answer.Span, call.UpstreamModel, base64, out var usage), usage),
                AdapterName, "a Cohere embed response", cancellationToken);
        }

        if (call.Stream)
        {
            var translator = new CohereStreamTranslator(call.UpstreamModel, created, ChatStreamOptions.IncludeUsage(call.Body.Span));
            return TranslatedStreamRelay.RelayAsync(context, UpstreamEventStreams.ReadSseAsync(body, cancellationToken), call, translator, AdapterName, cancellationToken);
        }

        return TranslatedAnswerRelay.RelayAsync(context, body, call, answer => (CohereResponseTranslator.Translate(answer.Span, call.UpstreamModel, created, out var usage), usage),
            AdapterName, "a Cohere chat response", cancellationToken);
    }

    public UpstreamError ParseError(ReadOnlySpan<byte> body, int status) => CohereErrors.Parse(body, status);
}
