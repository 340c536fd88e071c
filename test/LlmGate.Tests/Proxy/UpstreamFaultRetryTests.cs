using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using LlmGate.Testing;

namespace LlmGate.Tests.Proxy;

/// <summary>
/// Upstream faults with a retry to spend (<c>num_retries: 1</c>, two deployments on one fake): each says what the
/// client gets, whether the gateway tried again (connection-level failures are retried, as LiteLLM retries them, unless
/// a byte has reached the client), that alerting counts the call once, and that no broken connection is kept.
/// </summary>
public sealed class UpstreamFaultRetryTests : IAsyncLifetime
{
    private const string UpstreamKey = "sk-upstream-secret-4f2a9c";
    private const string ChatRequest = """{"model":"m","messages":[{"role":"user","content":"hi"}]}""";
    private const string StreamRequest = """{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}""";
    private const string Answer = """{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}""";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly RawUpstream _upstream = RawUpstream.Start();
    private FakePagerDuty _pagerDuty = null!;
    private TestGateway _gateway = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _pagerDuty = await FakePagerDuty.StartAsync();
        (_gateway, _client) = await StartGatewayAsync($"http://127.0.0.1:{_upstream.Port}/v1");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
        await _pagerDuty.DisposeAsync();
    }

    [Fact]
    public async Task ResetAfterHeaders_PlainCall_RetriedThen502ConnectionErrorCountedOnce()
    {
        _upstream.Answer = async exchange =>
        {
            await RawUpstream.WriteAsync(exchange.Stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"id\":\"chatcmpl-1\",");
            RawUpstream.Reset(exchange.Socket);
        };

        var (status, error) = await PostForErrorAsync(_client);

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal("api_connection_error", error.GetProperty("type").GetString());
        Assert.Contains("the upstream of model group 'm' broke off its answer: Connection reset by peer", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, _upstream.Requests); // nothing had reached the client: retried on the other deployment
        Assert.Equal(1, await FailureCountAsync(_client));
        await _upstream.WaitForOpenConnectionsAtMostAsync(0, Deadline);
    }

    [Fact]
    public async Task ResetAfterHeaders_PlainCallOtherDeploymentHealthy_RetriedAndAnswered()
    {
        FirstAttemptThenHealthy(async exchange =>
        {
            await RawUpstream.WriteAsync(exchange.Stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n");
            RawUpstream.Reset(exchange.Socket);
        });

        await AssertAnsweredByTheRetryAsync();
        await _upstream.WaitForOpenConnectionsAtMostAsync(1, Deadline); // the healthy one may stay pooled
    }

    [Fact]
    public async Task ResetAfterHeaders_Stream_NotRetriedErrorEventCountedOnce()
    {
        _upstream.Answer = async exchange =>
        {
            await RawUpstream.WriteAsync(exchange.Stream, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
            RawUpstream.Reset(exchange.Socket);
        };

        using var response = await _client.PostAsync("v1/chat/completions", Json(StreamRequest));
        var body = await response.Content.ReadAsStringAsync();

        // The stream's headers went to the client at once: the error arrives as the SSE event the OpenAI SDKs raise.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("data: {\"error\":", body, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"api_connection_error\"", body, StringComparison.Ordinal);
        AssertClean(body);
        Assert.Equal(1, _upstream.Requests);
        Assert.Equal(1, await FailureCountAsync(_client));
        await _upstream.WaitForOpenConnectionsAtMostAsync(0, Deadline);
    }

    [Fact]
    public async Task BodyLongerThanDeclared_ClientGetsExactlyTheDeclaredBytesAndTheConnectionIsNotReused()
    {
        var declared = """{"id":"chatcmpl-1","object":"chat.completion","choices":[]}""";
        var extra = new string('x', 150);
        _upstream.Answer = exchange => RawUpstream.WriteAsync(exchange.Stream, exchange.Number == 1
            ? $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {declared.Length}\r\n\r\n{declared}{extra}"
            : RawUpstream.JsonAnswer(Answer));

        using var first = await _client.PostAsync("v1/chat/completions", Json(ChatRequest));
        var firstBody = await first.Content.ReadAsStringAsync();
        using var second = await _client.PostAsync("v1/chat/completions", Json(ChatRequest));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(declared, firstBody);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(Answer, await second.Content.ReadAsStringAsync()); // a reused connection would have read the extra bytes as its answer
        Assert.Equal(2, _upstream.Requests);
        Assert.Equal(0, await FailureCountAsync(_client));
        await _upstream.WaitForOpenConnectionsAtMostAsync(1, Deadline); // the first, with bytes left over, is closed
    }

    [Fact]
    public async Task BodyShorterThanDeclaredThenClose_RetriedThen502ConnectionErrorCountedOnce()
    {
        _upstream.Answer = async exchange =>
        {
            await RawUpstream.WriteAsync(exchange.Stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\":\"chatcmpl-1\",\"object\":");
            exchange.Socket.Shutdown(SocketShutdown.Send); // FIN, not RST: a clean close, too early
        };

        var (status, error) = await PostForErrorAsync(_client);

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal("api_connection_error", error.GetProperty("type").GetString());
        Assert.Contains("broke off its answer: The response ended prematurely", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, _upstream.Requests);
        Assert.Equal(1, await FailureCountAsync(_client));
        await _upstream.WaitForOpenConnectionsAtMostAsync(0, Deadline);
    }

    [Fact]
    public async Task HtmlPageAsA200_PlainCall_Retried502SayingSoCountedOnce()
    {
        // A proxy or WAF in front of the server answering 200 with its own page.
        _upstream.Answer = exchange => RawUpstream.WriteAsync(exchange.Stream, RawUpstream.JsonAnswer("<html>502 Bad Gateway</html>"));

        var (status, error) = await PostForErrorAsync(_client);

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal("api_connection_error", error.GetProperty("type").GetString());
        Assert.Equal(
            "litellm.APIConnectionError: the upstream of model group 'm' sent an unusable answer: it answered 200 with a body that is not JSON (application/json, 28 bytes).",
            error.GetProperty("message").GetString());
        Assert.Equal(2, _upstream.Requests);
        Assert.Equal(1, await FailureCountAsync(_client));
    }

    [Fact]
    public async Task BodyCutShortOnAClosedConnection_PlainCall_RetriedOnTheHealthyDeploymentAndAnswered()
    {
        // No Content-Length and no chunking: the body ends where the connection closes, so a cut one looks whole.
        FirstAttemptThenHealthy(async exchange =>
        {
            await RawUpstream.WriteAsync(exchange.Stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"id\":\"chatcmpl-1\",\"choices\":[");
            exchange.Socket.Shutdown(SocketShutdown.Send);
        });

        await AssertAnsweredByTheRetryAsync();
    }

    [Fact]
    public async Task StreamClosedCleanlyBeforeItsLastChunk_ErrorEventAfterWhatCameCountedOnce()
    {
        const string Content = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n";
        _upstream.Answer = exchange => RawUpstream.WriteAsync(exchange.Stream, StreamAnswer(Content));

        using var response = await _client.PostAsync("v1/chat/completions", Json(StreamRequest));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith(Content + "data: {\"error\":", body, StringComparison.Ordinal);
        Assert.Contains("sent an unusable answer: the stream ended before its last chunk (no finish_reason, no data: [DONE]).", body, StringComparison.Ordinal);
        Assert.Equal(1, _upstream.Requests); // a byte had reached the client: not retried
        Assert.Equal(1, await FailureCountAsync(_client));
    }

    [Theory]
    [InlineData("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\ndata: [DONE]\r\n\r\n")]
    [InlineData("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n")] // some servers omit [DONE]
    public async Task StreamEndedByDoneOrAFinishReason_RelayedAsItCameNotCounted(string events)
    {
        _upstream.Answer = exchange => RawUpstream.WriteAsync(exchange.Stream, StreamAnswer(events));

        using var response = await _client.PostAsync("v1/chat/completions", Json(StreamRequest));

        Assert.Equal(events, await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await FailureCountAsync(_client));
    }

    [Fact]
    public async Task HostThatDoesNotResolve_Retried502NamingTheHostCountedOnce()
    {
        var (gateway, client) = await StartGatewayAsync("http://no-such-host.invalid/v1");
        await using (gateway)
        using (client)
        {
            using var response = await client.PostAsync("v1/chat/completions", Json(ChatRequest));
            var (status, error) = await ReadErrorAsync(response);

            Assert.Equal(HttpStatusCode.BadGateway, status);
            Assert.Equal("api_connection_error", error.GetProperty("type").GetString());
            Assert.Contains("the host 'no-such-host.invalid' could not be resolved", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal("1", Assert.Single(response.Headers.GetValues("x-litellm-attempted-retries")));
            Assert.Equal(1, await FailureCountAsync(client));
        }
    }

    [Fact]
    public async Task UpstreamCertificateNotTrusted_Retried502SayingSoCountedOnce()
    {
        using var authority = TestCertificates.CreateAuthority(); // trusted by no one
        using var certificate = TestCertificates.CreateServer(authority, "other.example", loopback: true);
        await using var upstream = RawUpstream.Start(certificate);
        upstream.Answer = exchange => RawUpstream.WriteAsync(exchange.Stream, RawUpstream.JsonAnswer(Answer));
        var (gateway, client) = await StartGatewayAsync($"https://127.0.0.1:{upstream.Port}/v1");
        await using (gateway)
        using (client)
        {
            using var response = await client.PostAsync("v1/chat/completions", Json(ChatRequest));
            var (status, error) = await ReadErrorAsync(response);

            Assert.Equal(HttpStatusCode.BadGateway, status);
            Assert.Equal("api_connection_error", error.GetProperty("type").GetString());
            Assert.Contains("TLS handshake failed: the upstream's TLS certificate is not trusted (", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal("1", Assert.Single(response.Headers.GetValues("x-litellm-attempted-retries")));
            Assert.Equal(0, upstream.Requests);
            Assert.Equal(1, await FailureCountAsync(client));
            await upstream.WaitForOpenConnectionsAtMostAsync(0, Deadline);
        }
    }

    // The first attempt meets `first`; the retry, on the other deployment, a healthy answer.
    private void FirstAttemptThenHealthy(Func<RawExchange, Task> first) =>
        _upstream.Answer = exchange => exchange.Number == 1 ? first(exchange) : RawUpstream.WriteAsync(exchange.Stream, RawUpstream.JsonAnswer(Answer));

    // A plain call whose first attempt failed before anything reached the client: answered whole by the retry, not counted.
    private async Task AssertAnsweredByTheRetryAsync()
    {
        using var response = await _client.PostAsync("v1/chat/completions", Json(ChatRequest));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Answer, await response.Content.ReadAsStringAsync());
        Assert.Equal("1", Assert.Single(response.Headers.GetValues("x-litellm-attempted-retries")));
        Assert.Equal(2, _upstream.Requests);
        Assert.Equal(0, await FailureCountAsync(_client));
    }

    // One HTTP chunk with the events, then the last chunk: a clean end of the body.
    private static string StreamAnswer(string events) =>
        $"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n{Encoding.UTF8.GetByteCount(events):x}\r\n{events}\r\n0\r\n\r\n";

    internal static StringContent Json(string body) => new(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    internal static async Task<(HttpStatusCode Status, JsonElement Error)> ReadErrorAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        AssertClean(body);
        return (response.StatusCode, JsonDocument.Parse(body).RootElement.GetProperty("error").Clone());
    }

    // Never a stack trace, never the deployment's key.
    private static void AssertClean(string body)
    {
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain(UpstreamKey, body, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Error)> PostForErrorAsync(HttpClient client)
    {
        using var response = await client.PostAsync("v1/chat/completions", Json(ChatRequest));
        return await ReadErrorAsync(response);
    }

    // The llm_api_failure window's count once no call is in flight (the call ends after its answer is written).
    private static async Task<int> FailureCountAsync(HttpClient client)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (true)
        {
            using var status = JsonDocument.Parse(await client.GetStringAsync("alerting/status", deadline.Token));
            if (status.RootElement.GetProperty("in_flight").GetInt32() == 0)
            {
                return status.RootElement.GetProperty("windows").EnumerateArray()
                    .Single(w => w.GetProperty("class").GetString() == "llm_api_failure").GetProperty("count").GetInt32();
            }

            await Task.Yield();
        }
    }

    private async Task<(TestGateway Gateway, HttpClient Client)> StartGatewayAsync(string apiBase)
    {
        var gateway = await TestGateway.StartAsync($$"""
            model_list:
              - model_name: m
                litellm_params: {model: openai/m, api_base: "{{apiBase}}", api_key: {{UpstreamKey}}, timeout: 5, stream_timeout: 5}
                model_info: {id: a}
              - model_name: m
                litellm_params: {model: openai/m, api_base: "{{apiBase}}", api_key: {{UpstreamKey}}, timeout: 5, stream_timeout: 5}
                model_info: {id: b}
            router_settings:
              num_retries: 1
              disable_cooldowns: true
            general_settings:
              alerting: ["pagerduty"]
              alerting_args:
                failure_threshold: 1000
                failure_threshold_window_seconds: 60
            """, new Dictionary<string, string>
        {
            ["PAGERDUTY_API_KEY"] = "d8b0c1e2f3a4b5c6d7e8f9a0b1c2d3e4",
            ["PAGERDUTY_EVENTS_URL"] = _pagerDuty.EventsUrl.ToString(),
        });
        return (gateway, new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) });
    }
}
