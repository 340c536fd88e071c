using System.Net;
using System.Net.Sockets;
using System.Text;
using LlmGate.Proxy;

namespace LlmGate.Tests.Proxy;

public sealed class UpstreamClientTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10); // a bound on a hung test, never a wait

    [Fact]
    public async Task Send_WithAProxy_TheRequestGoesToTheProxyInAbsoluteForm()
    {
        using var proxy = new TcpListener(IPAddress.Loopback, 0);
        proxy.Start();
        using var client = new UpstreamClient(new WebProxy(new Uri($"http://127.0.0.1:{((IPEndPoint)proxy.LocalEndpoint).Port}")));
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://provider.invalid/v1/chat/completions") { Content = new StringContent("{}") };

        var sending = client.Invoker.SendAsync(request, CancellationToken.None);
        using var connection = await proxy.AcceptTcpClientAsync().WaitAsync(Patience);
        var stream = connection.GetStream();
        var head = await ReadHeadAsync(stream).WaitAsync(Patience);
        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"u8.ToArray());
        using var response = await sending.WaitAsync(Patience);

        Assert.StartsWith("POST http://provider.invalid/v1/chat/completions HTTP/1.1\r\n", head, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(buffer) == 1)
        {
            head.Append((char)buffer[0]);
        }

        return head.ToString();
    }
}
