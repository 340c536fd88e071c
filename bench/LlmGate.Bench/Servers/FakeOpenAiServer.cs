using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace LlmGate.Bench.Servers;

/// <summary>
/// A fake OpenAI upstream built for speed: Kestrel with no routing, no logging and no JSON parsing. It drains the
/// request body, looks for <c>"stream":true</c> in its bytes, and writes bytes encoded once at start-up.
/// Any POST path ending in <c>/chat/completions</c> is answered; so are Gemini's <c>:generateContent</c> and
/// <c>:streamGenerateContent</c>, in Gemini's format (for the <c>llmgate-gemini</c> target); a POST path ending in
/// <c>/embeddings</c> gets one small embedding; everything else gets 404. For the soak's faults, a path under
/// <c>/flaky/</c> fails with 500 or 503 part of the time, and one under <c>/slow/</c> waits before answering.
/// </summary>
internal static class FakeOpenAiServer
{
    private static readonly byte[] StreamTrue = "\"stream\":true"u8.ToArray();
    private static readonly byte[] StreamTrueSpaced = "\"stream\": true"u8.ToArray();
    private static readonly byte[] IdleMarker = System.Text.Encoding.ASCII.GetBytes(Load.LoadRequest.IdleMarker);

    public static WebApplication Build(FakeOpenAiOptions options)
    {
        var payloads = new FakeOpenAiPayloads(options.StreamChunks, gemini: false);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (var port in options.Ports)
            {
                kestrel.Listen(System.Net.IPAddress.Loopback, port);
            }
        });
        var app = builder.Build();
        app.Run(context => HandleAsync(context, payloads, options));
        return app;
    }

    private static async Task HandleAsync(HttpContext context, FakeOpenAiPayloads payloads, FakeOpenAiOptions options)
    {
        var request = context.Request;
        var path = request.Path.Value!;
        var gemini = path.EndsWith(":generateContent", StringComparison.Ordinal) ? payloads.Gemini
            : path.EndsWith(":streamGenerateContent", StringComparison.Ordinal) ? payloads.Gemini
            : null;
        var embedding = path.EndsWith("/embeddings", StringComparison.Ordinal);
        if (!HttpMethods.IsPost(request.Method) || (gemini is null && !embedding && !path.EndsWith("/chat/completions", StringComparison.Ordinal)))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var (stream, idle) = await ReadBodyAsync(request.BodyReader, context.RequestAborted);
        if (path.StartsWith("/slow/", StringComparison.Ordinal))
        {
            await Task.Delay(options.SlowDelay, context.RequestAborted);
        }

        if (path.StartsWith("/flaky/", StringComparison.Ordinal) && Random.Shared.NextDouble() < options.FlakyFailureRate)
        {
            // As OpenAI answers an overload: a JSON error the gateway passes on with its status.
            var status = Random.Shared.Next(2) == 0 ? StatusCodes.Status500InternalServerError : StatusCodes.Status503ServiceUnavailable;
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = payloads.UpstreamError.Length;
            await context.Response.Body.WriteAsync(payloads.UpstreamError, context.RequestAborted);
            return;
        }

        if (embedding)
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = payloads.Embedding.Length;
            await context.Response.Body.WriteAsync(payloads.Embedding, context.RequestAborted);
            return;
        }
        if (gemini is not null)
        {
            // Gemini says stream in its method, not in the body.
            stream = path.EndsWith(":streamGenerateContent", StringComparison.Ordinal);
            payloads = gemini;
        }
        if (options.FirstByteDelay > TimeSpan.Zero)
        {
            await Task.Delay(options.FirstByteDelay, context.RequestAborted);
        }

        var response = context.Response;
        if (!stream)
        {
            response.ContentType = "application/json";
            response.ContentLength = payloads.Completion.Length;
            await response.Body.WriteAsync(payloads.Completion, context.RequestAborted);
            return;
        }

        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var events = payloads.StreamEvents;
        if (idle)
        {
            await WriteIdleStreamAsync(response, events, options, context.RequestAborted);
            return;
        }

        for (var i = 0; i < events.Count; i++)
        {
            if (i > 0 && options.ChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(options.ChunkDelay, context.RequestAborted);
            }

            await response.BodyWriter.WriteAsync(events[i], context.RequestAborted);
        }
    }

    // An idle stream: the first chunk at once, then one content chunk per interval until the client goes away (or the
    // limit passes, then the usual end). What the target holds in between is what the idle-streams scenario measures.
    private static async Task WriteIdleStreamAsync(HttpResponse response, IReadOnlyList<byte[]> events, FakeOpenAiOptions options, CancellationToken aborted)
    {
        await response.BodyWriter.WriteAsync(events[0], aborted);
        var content = events.Count > 3 ? events[1] : events[0];
        var until = Stopwatch.GetTimestamp() + (long)(options.IdleStreamLimit.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            await Task.Delay(options.IdleChunkInterval, aborted);
            await response.BodyWriter.WriteAsync(content, aborted);
        }

        await response.BodyWriter.WriteAsync(events[^2], aborted);
        await response.BodyWriter.WriteAsync(events[^1], aborted);
    }

    // Reads the whole body (as an upstream must) and reports whether it asked for a stream, and an idle one.
    private static async ValueTask<(bool Stream, bool Idle)> ReadBodyAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (result.IsCompleted)
            {
                ReadOnlySpan<byte> span = buffer.IsSingleSegment ? buffer.FirstSpan : buffer.ToArray();
                var stream = span.IndexOf(StreamTrue) >= 0 || span.IndexOf(StreamTrueSpaced) >= 0;
                var idle = stream && span.IndexOf(IdleMarker) >= 0;
                reader.AdvanceTo(buffer.End);
                return (stream, idle);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
