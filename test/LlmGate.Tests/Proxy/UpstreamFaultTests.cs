using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using LlmGate.Testing;

namespace LlmGate.Tests.Proxy;

/// <summary>
/// An upstream that misbehaves at the TCP and HTTP level (issue 19's fault list): each is a clear OpenAI-style error for
/// the client (or, once a stream has begun, an SSE error event), never a hang or a stack trace.
/// </summary>
public sealed class UpstreamFaultTests : IAsyncLifetime
{
    private const string ChatRequest = """{"model":"m","messages":[{"role":"user","content":"hi"}]}""";
    private const string StreamRequest = """{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}""";

    private readonly RawUpstream _upstream = RawUpstream.Start();
    private Func<Stream, Socket, Task> _answer = (_, _) => Task.CompletedTask;
    private TestGateway _gateway = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _upstream.Answer = exchange => _answer(exchange.Stream, exchange.Socket);
        var port = _upstream.Port;
        _gateway = await TestGateway.StartAsync($"""
            model_list:
              - model_name: m
                litellm_params:
                  model: openai/m
                  api_base: http://127.0.0.1:{port}/v1
                  api_key: sk-upstream
                  timeout: 2
                  stream_timeout: 2
            router_settings:
              num_retries: 0
            """);
        _client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.GZip })
        {
            BaseAddress = _gateway.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task ConnectionResetBeforeHeaders_502ConnectionError()
    {
        _answer = (_, socket) => Reset(socket);

        var (status, error) = await PostForErrorAsync();

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal("api_connection_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task MalformedStatusLine_502ConnectionErrorSayingSo()
    {
        _answer = (stream, _) => WriteAsync(stream, "HTTP/1.1 two hundred OK\r\nContent-Length: 2\r\n\r\n{}");

        var (status, error) = await PostForErrorAsync();

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Contains("InvalidResponse", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcceptsAndNeverAnswers_408TimeoutAfterTheDeploymentsTimeout()
    {
        _answer = (_, _) => Task.Delay(Timeout.Infinite, _upstream.Stopping);

        var (status, error) = await PostForErrorAsync();

        Assert.Equal(HttpStatusCode.RequestTimeout, status);
        Assert.Contains("did not answer within 2 s", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionResetMidStream_ClientGetsTheEventsThenAnErrorEvent()
    {
        _answer = async (stream, socket) =>
        {
            await WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
            await WriteAsync(stream, Chunk(Event("one")) + Chunk(Event("two")));
            await Reset(socket);
        };

        var body = await PostStreamAsync();

        Assert.StartsWith(Event("one") + Event("two"), body, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"api_connection_error\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamWithGarbageLinesAndNoDone_RelayedAsSentWithoutAnError()
    {
        var sent = Event("one") + "this is not SSE\n\n: a comment\n\n" + Event("two");
        _answer = (stream, _) => WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: {Encoding.UTF8.GetByteCount(sent)}\r\n\r\n{sent}");

        Assert.Equal(sent, await PostStreamAsync());
    }

    [Fact]
    public async Task EventSplitAcrossReads_RelayedWhole()
    {
        var sent = Event("split") + "data: [DONE]\n\n";
        _answer = async (stream, _) =>
        {
            await WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
            foreach (var piece in new[] { sent[..7], sent[7..30], sent[30..] })
            {
                await WriteAsync(stream, Chunk(piece));
            }

            await WriteAsync(stream, "0\r\n\r\n");
        };

        Assert.Equal(sent, await PostStreamAsync());
    }

    [Fact]
    public async Task GzipAnswer_RelayedWithItsEncodingSoTheClientDecodesIt()
    {
        const string answer = """{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"zipped"},"finish_reason":"stop"}]}""";
        var zipped = new MemoryStream();
        await using (var gzip = new GZipStream(zipped, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(answer));
        }

        _answer = async (stream, _) =>
        {
            await WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {zipped.Length}\r\n\r\n");
            await stream.WriteAsync(zipped.ToArray());
        };

        using var response = await _client.PostAsync("v1/chat/completions", Json(ChatRequest));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(answer, await response.Content.ReadAsStringAsync());
    }

    private async Task<(HttpStatusCode Status, JsonElement Error)> PostForErrorAsync()
    {
        using var response = await _client.PostAsync("v1/chat/completions", Json(ChatRequest));
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal); // never a stack trace
        return (response.StatusCode, JsonDocument.Parse(body).RootElement.GetProperty("error").Clone());
    }

    private async Task<string> PostStreamAsync()
    {
        using var response = await _client.PostAsync("v1/chat/completions", Json(StreamRequest));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    private static string Event(string text) =>
        $"data: {{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{text}\"}}}}]}}\n\n";

    private static string Chunk(string data) => $"{Encoding.UTF8.GetByteCount(data):x}\r\n{data}\r\n";

    private static Task WriteAsync(Stream stream, string text) => RawUpstream.WriteAsync(stream, text);

    private static Task Reset(Socket socket)
    {
        RawUpstream.Reset(socket);
        return Task.CompletedTask;
    }
}
