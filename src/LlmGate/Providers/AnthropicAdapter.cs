using System.Text.Json;
using LlmGate.Calls;
using LlmGate.OpenAi;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Providers;

/// <summary>
/// Anthropic's Messages API behind OpenAI's chat completions: the request is translated to <c>POST {api_base}/v1/messages</c>
/// with <c>x-api-key</c> and <c>anthropic-version</c>, the answer (or its stream, event by event) back to OpenAI's shape.
/// A call to the gateway's own <c>/v1/messages</c> passes through as the client wrote it (the model name rewritten, the
/// client's <c>anthropic-version</c> and <c>anthropic-beta</c> kept), and so does the answer.
/// </summary>
internal sealed class AnthropicAdapter(TimeProvider timeProvider) : IMessagesApiAdapter
{
    public const string ApiVersion = "2023-06-01";

    public const string AdapterName = "anthropic";

    public string Name => AdapterName;

    public ValueTask<HttpRequestMessage> CreateRequestAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        if (call.Kind == ProxyEndpointKind.Messages)
        {
            return ValueTask.FromResult(MessagesRequest(call));
        }

        if (call.Kind != ProxyEndpointKind.ChatCompletions)
        {
            var endpoint = call.Kind == ProxyEndpointKind.Embeddings ? "/embeddings" : "/completions";
            throw new ProviderRequestException($"{endpoint} is not supported by provider anthropic; use /chat/completions.");
        }

        var body = UnsupportedParams.Translate(call, body => AnthropicRequestTranslator.Translate(body.Span, call.UpstreamModel, call.Stream));
        var request = ProviderRequests.PostJson(MessagesUri(call.Endpoint.ApiBase!), body);
        AddHeaders(request, call.Endpoint, version: null, betas: []);
        return ValueTask.FromResult(request);
    }

    public async Task<TokenUsage?> RelayAsync(HttpContext context, HttpResponseMessage response, Stream body, ProviderCall call, CancellationToken cancellationToken)
    {
        if (call.Kind == ProxyEndpointKind.Messages)
        {
            return call.Stream
                ? await MessagesPassThrough.RelayStreamAsync(context, response, body, call, cancellationToken)
                : await MessagesPassThrough.RelayAnswerAsync(context, response, body, call, cancellationToken);
        }

        var created = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        if (!call.Stream)
        {
            return await TranslatedAnswerRelay.RelayAsync(context, body, call, answer =>
            {
                var translated = AnthropicResponseTranslator.Translate(answer.Span, call.UpstreamModel, created, out var usage);
                return (translated, usage);
            }, AdapterName, "a message", cancellationToken);
        }

        var translator = new AnthropicStreamTranslator(call.UpstreamModel, created, ChatStreamOptions.IncludeUsage(call.Body.Span));
        return await TranslatedStreamRelay.RelayAsync(context, UpstreamEventStreams.ReadSseAsync(body, cancellationToken), call, translator, "anthropic", cancellationToken);
    }

    private static HttpRequestMessage MessagesRequest(ProviderCall call)
    {
        var body = RequestBodyRewriter.Rewrite(call.Body, call.Summary, call.UpstreamModel).ToArray();
        var request = ProviderRequests.PostJson(MessagesUri(call.Endpoint.ApiBase!), body);
        AddHeaders(
            request,
            call.Endpoint,
            call.ClientHeaders.FirstOrDefault(h => h.Key == "anthropic-version").Value,
            call.ClientHeaders.Where(h => h.Key == "anthropic-beta").Select(h => h.Value));
        return request;
    }

    /// <summary>
    /// Anthropic's headers on a request to <paramref name="endpoint"/>: its key as <c>x-api-key</c>, the client's
    /// <c>anthropic-version</c> (else <see cref="ApiVersion"/>) and the client's <c>anthropic-beta</c> values.
    /// </summary>
    public static void AddHeaders(HttpRequestMessage request, ProviderEndpoint endpoint, string? version, IEnumerable<string> betas)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(betas);
        request.Headers.TryAddWithoutValidation("anthropic-version", version ?? ApiVersion);
        foreach (var beta in betas)
        {
            request.Headers.TryAddWithoutValidation("anthropic-beta", beta);
        }

        if (endpoint.ApiKey is { } key)
        {
            request.Headers.TryAddWithoutValidation("x-api-key", key);
        }
    }

    public UpstreamError ParseError(ReadOnlySpan<byte> body, int status)
    {
        // {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}: the shared parser reads the inner object.
        var error = UpstreamError.Parse(body, status);
        var (mappedStatus, type) = AnthropicErrors.Map(error.Type, status);
        return error with { Type = type, Param = null, Status = mappedStatus == status ? null : mappedStatus, Reason = AnthropicErrors.ReasonOf(error.Type, error.Message) };
    }

    /// <summary><c>{api_base}/v1/messages</c>; an <c>api_base</c> that already ends in <c>/v1</c> or <c>/v1/messages</c> is kept.</summary>
    public static Uri MessagesUri(Uri apiBase)
    {
        var path = apiBase.AbsolutePath.TrimEnd('/');
        var relative = path.EndsWith("/v1/messages", StringComparison.OrdinalIgnoreCase) ? ""
            : path.EndsWith("/v1", StringComparison.OrdinalIgnoreCase) ? "messages"
            : "v1/messages";
        return relative.Length == 0 ? new Uri(apiBase.GetLeftPart(UriPartial.Path).TrimEnd('/')) : new Uri(apiBase, relative);
    }
}
