using System.Net;

namespace LlmGate.Proxy;

/// <summary>
/// The one long-lived connection pool to LLM providers, set up as YARP sets its forwarder: no redirects, no cookies,
/// no proxy, no automatic decompression, a connect timeout, and no activity propagation on the hot path.
/// </summary>
internal sealed class UpstreamClient : IDisposable
{
    public UpstreamClient()
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            ActivityHeadersPropagator = null,
        };
        Invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public HttpMessageInvoker Invoker { get; }

    public void Dispose() => Invoker.Dispose();
}
