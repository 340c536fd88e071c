using System.Buffers;
using System.Text.Json;
using LlmGate.Calls;
using LlmGate.OpenAi;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Providers.Google;

/// <summary>
/// Gemini's API as Google AI Studio and Vertex AI both speak it: which method an OpenAI endpoint becomes, the translated
/// body, and the answer (or its stream, event by event) back in OpenAI's shape. The two adapters differ only in URLs,
/// credentials and the embeddings method.
/// </summary>
internal static class GeminiWire
{
    /// <summary>The method to call and its body; throws <see cref="ProviderRequestException"/> for what Gemini cannot do.</summary>
    public static (string Method, bool Stream, byte[] Body) Translate(ProviderCall call, string provider, bool vertex) => call.Kind switch
    {
        ProxyEndpointKind.ChatCompletions => (call.Stream ? "streamGenerateContent" : "generateContent", call.Stream,
            UnsupportedParams.Translate(call, body => GeminiRequestTranslator.Translate(body.Span))),
        ProxyEndpointKind.Embeddings => vertex
            ? ("predict", false, UnsupportedParams.Translate(call, body => GoogleEmbeddings.ToVertexPredict(body.Span)))
            : ("batchEmbedContents", false, UnsupportedParams.Translate(call, body => GoogleEmbeddings.ToGeminiBatch(body.Span, call.UpstreamModel))),
        _ => throw new ProviderRequestException($"/completions is not supported by provider {provider}; use /chat/completions."),
    };

    public static async Task<TokenUsage?> RelayAsync(HttpContext context, Stream body, ProviderCall call, long created, string provider, bool vertex, CancellationToken cancellationToken)
    {
        if (call.Kind == ProxyEndpointKind.ChatCompletions && call.Stream)
        {
            return await RelayStreamAsync(context, body, call, created, provider, cancellationToken);
        }

        return await TranslatedAnswerRelay.RelayAsync(context, body, call, answer => Translate(answer.Span, call, created, provider, vertex), provider, "a Gemini response", cancellationToken);
    }

    private static (byte[] Body, TokenUsage Usage) Translate(ReadOnlySpan<byte> answer, ProviderCall call, long created, string provider, bool vertex)
    {
        TokenUsage usage;
        if (call.Kind == ProxyEndpointKind.Embeddings)
        {
            var base64 = OpenAiEmbeddings.WantsBase64(call.Body.Span);
            return (vertex
                ? GoogleEmbeddings.FromVertexPredict(answer, call.UpstreamModel, base64, out usage)
                : GoogleEmbeddings.FromGeminiBatch(answer, call.UpstreamModel, base64, out usage), usage);
        }

        var translated = GeminiResponseTranslator.Translate(answer, call.UpstreamModel, created, out usage);
        if (GeminiResponseTranslator.IsBlocked(answer, out var blocked))
        {
            throw new ContentBlockedException(BlockedMessage(provider, blocked), new BlockedAnswer(translated, "application/json", usage));
        }

        return (translated, usage);
    }

    // The first event is read before anything is written: a prompt blocked by Google's safety filter arrives as the
    // only event, and is still a content-policy refusal the router can send to a fallback.
    private static async Task<TokenUsage?> RelayStreamAsync(HttpContext context, Stream body, ProviderCall call, long created, string provider, CancellationToken cancellationToken)
    {
        var translator = new GeminiStreamTranslator(call.UpstreamModel, created, ChatStreamOptions.IncludeUsage(call.Body.Span));
        await using var events = UpstreamEventStreams.ReadSseAsync(body, cancellationToken).GetAsyncEnumerator(cancellationToken);
        if (!await events.MoveNextAsync())
        {
            throw new IOException($"provider {provider} ended the stream before its first event.");
        }

        var first = events.Current;
        try
        {
            if (GeminiResponseTranslator.IsBlocked(first.Data.Span, out var blocked))
            {
                var answer = new ArrayBufferWriter<byte>();
                translator.Translate(first, answer);
                throw new ContentBlockedException(BlockedMessage(provider, blocked), new BlockedAnswer(answer.WrittenMemory.ToArray(), "text/event-stream", translator.Usage));
            }
        }
        catch (JsonException exception)
        {
            throw new IOException($"provider {provider} sent a stream event that is not JSON.", exception);
        }

        return await TranslatedStreamRelay.RelayAsync(context, Prepend(first, events), call, translator, provider, cancellationToken);
    }

    private static string BlockedMessage(string provider, string blocked) =>
        $"litellm.ContentPolicyViolationError: {blocked} (provider {provider}).";

    private static async IAsyncEnumerable<UpstreamEvent> Prepend(UpstreamEvent first, IAsyncEnumerator<UpstreamEvent> rest)
    {
        yield return first;
        while (await rest.MoveNextAsync())
        {
            yield return rest.Current;
        }
    }
}
