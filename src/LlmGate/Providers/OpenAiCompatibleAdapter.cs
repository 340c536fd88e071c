using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using LlmGate.Calls;
using LlmGate.OpenAi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LlmGate.Providers;

/// <summary>
/// OpenAI and every server that speaks its wire format: the client's body goes up as bytes (only <c>model</c>
/// rewritten) and the answer comes back as bytes, chunk by chunk for streams. Nothing is re-serialised.
/// </summary>
internal sealed class OpenAiCompatibleAdapter : IProviderAdapter
{
    public const string AdapterName = "openai";

    private const int StreamBufferSize = 16 * 1024;

    // The least free space a read into a held answer gets: 1 lets an answer sized by its Content-Length end without growing.
    private const int MinHeldRead = 1;

    public string Name => AdapterName;

    public ValueTask<HttpRequestMessage> CreateRequestAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, call.Endpoint.EndpointUri(call.Kind))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Content = Content(call),
        };
        if (call.Endpoint.AuthorizationHeader is { } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return ValueTask.FromResult(request);
    }

    /// <summary>
    /// The body an OpenAI-shaped server receives: the client's JSON with <c>model</c> rewritten (a Responses call's own
    /// rewriting), or for a transcription that JSON's fields and the audio file as <c>multipart/form-data</c>.
    /// </summary>
    public static HttpContent Content(ProviderCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var json = call.Kind == ProxyEndpointKind.Responses
            ? ResponsesApi.UpstreamBody(call)
            : RequestBodyRewriter.Rewrite(call.Body, call.Summary, call.UpstreamModel, call.AskForStreamUsage);
        if (call.Upload is { } upload)
        {
            return UploadContent.Create(json, upload);
        }

        var content = new ReadOnlyMemoryContent(json);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        return content;
    }

    public Task<TokenUsage?> RelayAsync(HttpContext context, HttpResponseMessage response, Stream body, ProviderCall call, CancellationToken cancellationToken) =>
        call.Kind == ProxyEndpointKind.Responses
            ? call.Stream ? ResponsesPassThrough.RelayStreamAsync(context, response, body, call, cancellationToken) : ResponsesPassThrough.RelayAnswerAsync(context, body, call, cancellationToken)
            : call.Kind == ProxyEndpointKind.AudioSpeech ? RelayAudioAsync(context, response, body, call, cancellationToken)
            : RelayBytesAsync(context, response, body, call, cancellationToken);

    /// <summary>
    /// Copies an OpenAI-shaped answer as bytes, streams flushed read by read, and returns the <c>usage</c> read on the way
    /// (null when the answer has none). A usage-only chunk the gateway asked for (<see cref="ProviderCall.AskForStreamUsage"/>) is not copied.
    /// </summary>
    public static Task<TokenUsage?> RelayBytesAsync(HttpContext context, HttpResponseMessage response, Stream body, ProviderCall call, CancellationToken cancellationToken) =>
        call.Stream
            ? RelayStreamAsync(context, response, body, call, cancellationToken)
            // A plain answer is held whole before its status, headers or a byte is set on the client's response: an upstream
            // that breaks off mid-body (reset, truncated) is then a clean, retryable failure rather than a truncated 200.
            : RelayHeldAsync(context, response, body, call, context.Features.Get<AnswerReady>(), cancellationToken);

    private static async Task<TokenUsage?> RelayStreamAsync(HttpContext context, HttpResponseMessage response, Stream body, ProviderCall call, CancellationToken cancellationToken)
    {
        ResponseHeaders.Copy(context.Response, response);
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await context.Response.StartAsync(cancellationToken);
        using var events = new StreamUsageScanner(hideUsageChunk: call.AskForStreamUsage);
        try
        {
            await RelayEventsAsync(context.Response.BodyWriter, body, call, events, cancellationToken);
        }
        finally
        {
            call.UsageSoFar = events.Usage;
        }

        return events.Usage;
    }

    /// <summary>
    /// Copies a binary answer (speech's audio) read by read as it arrives, with the upstream's <c>Content-Type</c>. Unlike
    /// other plain answers it is not held whole first: audio runs to megabytes and a player starts on the first bytes,
    /// so the time to first byte matters more than retrying a body that breaks off (which then cuts the connection).
    /// The usage (characters of <c>input</c>) comes from the request, so it is known before the first byte.
    /// </summary>
    public static async Task<TokenUsage?> RelayAudioAsync(HttpContext context, HttpResponseMessage response, Stream body, ProviderCall call, CancellationToken cancellationToken)
    {
        var usage = MediaUsage.OfRequest(call);
        call.UsageSoFar = usage;
        ResponseHeaders.Copy(context.Response, response);
        context.Features.Get<AnswerReady>()?.Invoke(usage);
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await context.Response.StartAsync(cancellationToken);
        var output = context.Response.BodyWriter;
        while (true)
        {
            var memory = output.GetMemory(StreamBufferSize);
            var read = await body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                break;
            }

            output.Advance(read);
            await output.FlushAsync(cancellationToken);
        }

        return usage;
    }

    // Each read of the upstream is written to the client's pipe and flushed once. Between reads no buffer is held: a
    // zero-byte read waits for the upstream's next bytes first (HttpClient's response streams support it; a stream that
    // does not answers at once and costs one extra call), so thousands of quiet streams hold no 16 KB buffer each.
    private static async Task RelayEventsAsync(PipeWriter output, Stream body, ProviderCall call, StreamUsageScanner events, CancellationToken cancellationToken)
    {
        var end = default(StreamEndMarker);
        while (true)
        {
            _ = await body.ReadAsync(Memory<byte>.Empty, cancellationToken);
            var buffer = ArrayPool<byte>.Shared.Rent(StreamBufferSize);
            try
            {
                var read = await body.ReadAsync(buffer, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                call.FinishReason = FinishReasonReader.Last(buffer.AsSpan(0, read), call.FinishReason);
                end.Add(buffer.AsSpan(0, read));
                var relayed = events.Scan(buffer.AsMemory(0, read));
                if (!relayed.IsEmpty)
                {
                    output.Write(relayed.Span);
                    await output.FlushAsync(cancellationToken);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        if (events.End() is { IsEmpty: false } rest)
        {
            output.Write(rest.Span);
            await output.FlushAsync(cancellationToken);
        }

        // A clean close is not a complete answer: an upstream that dies between chunks behind a proxy, or a server
        // restarted mid-answer, closes like one. A chat or completion stream without [DONE] or a finish_reason gets an
        // error event, as for a reset, rather than a cut answer its SDK would take as whole. (A finish_reason alone is
        // accepted: some servers omit [DONE]. Other streams, a transcription's, end with events of their own.)
        if (call.Kind is ProxyEndpointKind.ChatCompletions or ProxyEndpointKind.Completions && !end.EndsWithDone && call.FinishReason is null)
        {
            throw new UnreadableAnswerException("the stream ended before its last chunk (no finish_reason, no data: [DONE]).");
        }
    }

    // The whole answer first, then its usage to whoever asked, then the bytes in one write. Reads go straight into the held
    // buffer, rented to the upstream's Content-Length when it sent one: no second buffer, no copy.
    private static async Task<TokenUsage?> RelayHeldAsync(HttpContext context, HttpResponseMessage response, Stream body, ProviderCall call, AnswerReady? ready, CancellationToken cancellationToken)
    {
        using var held = new HeldAnswerStream(response.Content.Headers.NonValidated.Contains("Content-Length") ? response.Content.Headers.ContentLength : null);
        var answer = new AnswerUsageScanner();
        while (true)
        {
            var free = held.GetMemory(MinHeldRead);
            var read = await body.ReadAsync(free, cancellationToken);
            if (read == 0)
            {
                break;
            }

            answer.Scan(free.Span[..read]);
            call.FinishReason = FinishReasonReader.Last(free.Span[..read], call.FinishReason);
            held.Advance(read);
        }

        if (AnswersJson(call.Kind) && !Encoded(response) && !LooksLikeJson(held.Written.Span))
        {
            // An HTML page from a proxy or WAF in front of the server, or a body cut short on a closed connection: a 200
            // the client's SDK could not parse. The upstream's failure, retried and sent to fallbacks like a reset.
            var type = response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var values) ? values.ToString() : "no Content-Type";
            throw new UnreadableAnswerException($"it answered {(int)response.StatusCode} with a body that is not JSON ({type}, {held.Length} bytes).");
        }

        // Images and rerank are priced per image and per search unit, read from the answer held here.
        var usage = MediaUsage.IsCounted(call.Kind) ? MediaUsage.OfAnswer(call, held.Written.Span, answer.Usage) : answer.Usage;
        call.UsageSoFar = usage;
        ResponseHeaders.Copy(context.Response, response);
        ready?.Invoke(usage);
        context.Response.ContentLength = held.Length;
        await context.Response.Body.WriteAsync(held.Written, cancellationToken);
        return usage;
    }

    // The routes whose every answer is a JSON object; a transcription may be text, SRT or VTT.
    private static bool AnswersJson(ProxyEndpointKind kind) => kind is ProxyEndpointKind.ChatCompletions or ProxyEndpointKind.Completions
        or ProxyEndpointKind.Embeddings or ProxyEndpointKind.Moderations or ProxyEndpointKind.ImageGenerations or ProxyEndpointKind.Rerank;

    // A compressed answer is relayed with its encoding for the client to decode: its bytes are not the JSON's.
    private static bool Encoded(HttpResponseMessage response) =>
        response.Content.Headers.NonValidated.TryGetValues("Content-Encoding", out var encoding) && !encoding.ToString().Equals("identity", StringComparison.OrdinalIgnoreCase);

    // Its ends only: a cheap test that tells JSON from an HTML page or a cut body, without parsing megabytes of embeddings.
    private static bool LooksLikeJson(ReadOnlySpan<byte> body)
    {
        var trimmed = body.Trim(" \t\r\n"u8);
        return trimmed.Length >= 2 && (trimmed[0], trimmed[^1]) is ((byte)'{', (byte)'}') or ((byte)'[', (byte)']');
    }

    public UpstreamError ParseError(ReadOnlySpan<byte> body, int status) => OpenAiCompatibleErrors.Parse(body, status);
}
