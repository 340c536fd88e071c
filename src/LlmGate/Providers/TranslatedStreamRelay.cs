using System.Buffers;
using System.Text.Json;
using LlmGate.Calls;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LlmGate.Providers;

/// <summary>
/// Relays a translated stream to the client: OpenAI's SSE headers, then each provider event's translation written and
/// flushed as it arrives. A stream that ends before its last event, or with an event that is not JSON, throws an
/// <see cref="IOException"/>, which the forwarder turns into an error event: the client sees a failure, never a silent truncation.
/// </summary>
internal static class TranslatedStreamRelay
{
    private const int OutputBufferSize = 16 * 1024;

    /// <returns>The tokens the stream reported, when it did.</returns>
    public static async Task<TokenUsage?> RelayAsync(
        HttpContext context, IAsyncEnumerable<UpstreamEvent> events, ProviderCall call, IStreamTranslator translator, string provider, CancellationToken cancellationToken)
    {
        var client = context.Response;
        client.StatusCode = StatusCodes.Status200OK;
        client.ContentType = "text/event-stream";
        client.Headers.CacheControl = "no-cache";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await client.StartAsync(cancellationToken);
        var output = new ArrayBufferWriter<byte>(OutputBufferSize);
        await foreach (var upstreamEvent in events.WithCancellation(cancellationToken))
        {
            try
            {
                translator.Translate(upstreamEvent, output);
            }
            catch (Exception exception) when (exception is JsonException or InvalidOperationException)
            {
                // As for an answer (TranslatedAnswerRelay): not JSON, or JSON whose strings are not text.
                throw new UnreadableAnswerException($"provider {provider} sent a stream event that could not be read.", exception);
            }

            if (output.WrittenCount > 0)
            {
                call.FinishReason = FinishReasonReader.Last(output.WrittenSpan, call.FinishReason);
                await client.Body.WriteAsync(output.WrittenMemory, cancellationToken);
                await client.Body.FlushAsync(cancellationToken);
                output.ResetWrittenCount();
            }

            if (translator.Finished)
            {
                // An error event ends the stream as a failure the client has seen: no second error event, but counted.
                return translator.ErrorMessage is { } error ? throw new StreamErrorEventException(provider, error) : translator.Usage;
            }
        }

        throw new IOException($"provider {provider} ended the stream before its last event.");
    }
}
