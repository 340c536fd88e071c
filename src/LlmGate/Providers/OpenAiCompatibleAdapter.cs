using System.Buffers;
using System.Net;
using LlmGate.Proxy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LlmGate.Providers;

/// <summary>
/// OpenAI and every server that speaks its wire format: the client's body goes up as bytes (only <c>model</c>
/// rewritten) and the answer comes back as bytes, chunk by chunk for streams. Nothing is re-serialised.
/// </summary>
internal sealed class OpenAiCompatibleAdapter : IProviderAdapter
{
    public static readonly OpenAiCompatibleAdapter Instance = new();

    private const int StreamBufferSize = 16 * 1024;

    public HttpRequestMessage CreateRequest(ProviderCall call)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, call.Deployment.EndpointUri(call.Kind))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Content = new ReadOnlyMemoryContent(RequestBodyRewriter.Rewrite(call.Body, call.Summary, call.UpstreamModel)),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        if (call.Deployment.AuthorizationHeader is { } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return request;
    }

    public async Task RelayAsync(HttpContext context, HttpResponseMessage response, Stream body, ProviderCall call, CancellationToken cancellationToken)
    {
        ResponseHeaders.Copy(context.Response, response);
        if (!call.Stream)
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

    public UpstreamError ParseError(ReadOnlySpan<byte> body, int status) => UpstreamError.Parse(body, status);
}
