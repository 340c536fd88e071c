using System.Buffers;
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

    public string Name => AdapterName;

    public ValueTask<HttpRequestMessage> CreateRequestAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, call.Endpoint.EndpointUri(call.Kind))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Content = new ReadOnlyMemoryContent(RequestBodyRewriter.Rewrite(call.Body, call.Summary, call.UpstreamModel)),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        if (call.Endpoint.AuthorizationHeader is { } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return ValueTask.FromResult(request);
    }

    public async Task<TokenUsage?> RelayAsync(HttpContext context, HttpResponseMessage response, Stream body, ProviderCall call, CancellationToken cancellationToken)
    {
        await RelayBytesAsync(context, response, body, call.Stream, cancellationToken);
        return null; // the bytes pass through unread
    }

    /// <summary>Copies an OpenAI-shaped answer as bytes; streams are flushed chunk by chunk.</summary>
    public static async Task RelayBytesAsync(HttpContext context, HttpResponseMessage response, Stream body, bool stream, CancellationToken cancellationToken)
    {
        ResponseHeaders.Copy(context.Response, response);
        if (!stream)
        {
            await body.CopyToAsync(context.Response.Body, cancellationToken);
            return;
        }

        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await context.Response.StartAsync(cancellationToken);
        var output = context.Response.Body;
        var buffer = ArrayPool<byte>.Shared.Rent(StreamBufferSize);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                await output.FlushAsync(cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public UpstreamError ParseError(ReadOnlySpan<byte> body, int status) => OpenAiCompatibleErrors.Parse(body, status);
}
