using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using LlmGate.Proxy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LlmGate.Bench.Servers;

/// <summary>
/// The least any gateway built on Kestrel and HttpClient can cost: one request delegate that reads the body into a
/// pooled buffer (with the gateway's reader), sends it with HttpClient (Content-Type and Authorization only) and relays
/// the answer, one write and flush per upstream read. No routing, no header copying, no inspection, no error handling.
/// Its figures against YARP's say how much of YARP's cost is YARP's own and how much the platform's, which no gateway
/// on it can shed.
/// </summary>
internal static class MinimalForwarder
{
    private const int RelayBufferSize = 16 * 1024;

    public static WebApplication Build(int port, Uri upstream)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port);
        });
        var app = builder.Build();

        // The handler YARP's forwarder makes for itself (ForwarderHttpClientFactory), so the two differ only above it.
        var client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = null,
            ConnectTimeout = TimeSpan.FromSeconds(15),
        });
        app.Lifetime.ApplicationStopped.Register(client.Dispose);
        // A gateway knows its upstream URLs before the first request: one Uri per path, parsed once.
        var origin = upstream.GetLeftPart(UriPartial.Authority);
        var targets = new ConcurrentDictionary<string, Uri>(StringComparer.Ordinal);
        app.Run(context => ForwardAsync(context, client, targets.GetOrAdd(context.Request.Path.Value ?? "/", path => new Uri(origin + path))));
        return app;
    }

    private static async Task ForwardAsync(HttpContext context, HttpMessageInvoker client, Uri target)
    {
        var request = context.Request;
        var cancellationToken = context.RequestAborted;
        var (body, length) = await ProxyHandler.ReadBodyAsync(request.Body, request.ContentLength, int.MaxValue - 1, cancellationToken);
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Parse(request.Method), target)
            {
                Content = new ReadOnlyMemoryContent(body.AsMemory(0, length)),
            };
            message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            message.Headers.TryAddWithoutValidation("Authorization", request.Headers.Authorization.ToString());
            using var response = await client.SendAsync(message, cancellationToken);

            context.Response.StatusCode = (int)response.StatusCode;
            if (response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var type))
            {
                context.Response.ContentType = type.ToString();
            }

            context.Response.ContentLength = response.Content.Headers.ContentLength;

            await using var answer = await response.Content.ReadAsStreamAsync(cancellationToken);
            var output = context.Response.BodyWriter;
            int read;
            while ((read = await answer.ReadAsync(output.GetMemory(RelayBufferSize), cancellationToken)) > 0)
            {
                output.Advance(read);
                await output.FlushAsync(cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }
    }
}
