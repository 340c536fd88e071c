using System.Net;

namespace LlmGate.Proxy;

/// <summary>
/// The one long-lived connection pool to LLM providers, set up as YARP sets its forwarder: no redirects, no cookies,
/// no automatic decompression, a connect timeout, and no activity propagation on the hot path. Unlike YARP's, it goes
/// through the proxy the environment names (<c>HTTPS_PROXY</c>, <c>HTTP_PROXY</c>, <c>ALL_PROXY</c>, <c>NO_PROXY</c>),
/// as LiteLLM's HTTP client does: a gateway behind a corporate proxy reaches its providers only through it. Without
/// those variables no proxy is used.
/// </summary>
internal sealed class UpstreamClient : IDisposable
{
    public UpstreamClient()
        : this(proxy: null)
    {
    }

    /// <param name="proxy">The proxy to use; null for the environment's (<see cref="HttpClient.DefaultProxy"/>).</param>
    internal UpstreamClient(IWebProxy? proxy)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = true,
            Proxy = proxy,
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
