using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Calls;
using LlmGate.EndToEnd.Calls;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;

namespace LlmGate.EndToEnd.Proxy;

/// <summary>
/// Usage of OpenAI-compatible answers that pass through as bytes (issue #14): read from plain answers, asked for on
/// streams (<c>stream_options.include_usage</c>) and hidden from a client that did not ask, so streamed spend is never 0.
/// </summary>
public sealed class StreamUsageEndToEndTests : IAsyncLifetime
{
    private const string StreamBody = """{"model":"gpt-4o-mini", "stream": true, "messages":[{"role":"user","content":"Hi"}]}""";
    private readonly RecordingCallObserver _observer = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task Stream_ClientDidNotAsk_UpstreamAskedUsageReadAndChunkHidden()
    {
        await using var gateway = await GatewayAsync();

        var (status, events) = await PostAsync(gateway, StreamBody);

        Assert.Equal(HttpStatusCode.OK, status);
        // The stream the client would have seen without the gateway's question: content chunks and [DONE], no usage chunk.
        Assert.Equal(_upstream.StreamChunks + 2, events.Count);
        Assert.Equal("[DONE]", events[^1]);
        Assert.All(events[..^1], e => Assert.NotEmpty(JsonNode.Parse(e)!["choices"]!.AsArray()));
        var sent = Assert.Single(_upstream.Received).Body;
        Assert.Equal(StreamBody[..^1] + ""","stream_options":{"include_usage":true}}""", sent);
        Assert.Equal(new TokenUsage(5, 4, 2), await UsageAsync());
    }

    [Fact]
    public async Task Stream_ClientAsked_UsageChunkPassedThroughAndBodyUntouched()
    {
        await using var gateway = await GatewayAsync();
        var body = """{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hi"}]}""";

        var (_, events) = await PostAsync(gateway, body);

        var usage = JsonNode.Parse(events[^2])!;
        Assert.Empty(usage["choices"]!.AsArray());
        Assert.Equal(5, usage["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(body, Assert.Single(_upstream.Received).Body);
        Assert.Equal(new TokenUsage(5, 4, 2), await UsageAsync());
    }

    [Fact]
    public async Task Stream_OpenAiSdk_SeesItsUsage()
    {
        await using var gateway = await GatewayAsync();
        ChatTokenUsage? usage = null;

        await foreach (var update in GatewayClients.Chat(gateway.BaseAddress, "gpt-4o-mini").CompleteChatStreamingAsync([new UserChatMessage("Hi")]))
        {
            usage = update.Usage ?? usage;
        }

        // The SDK asks for usage itself; the gateway passes its chunk through.
        Assert.NotNull(usage);
        Assert.Equal(5, usage.InputTokenCount);
        Assert.Equal(2, usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(new TokenUsage(5, 4, 2), await UsageAsync());
    }

    [Fact]
    public async Task Plain_UsageReadAndBodyUntouched()
    {
        await using var gateway = await GatewayAsync();
        var body = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""";

        using var response = await _http.PostAsync(new Uri(gateway.BaseAddress, "v1/chat/completions"), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(11, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["usage"]!["total_tokens"]!.GetValue<int>());
        Assert.Equal(body, Assert.Single(_upstream.Received).Body);
        Assert.Equal(new TokenUsage(5, 6), await UsageAsync());
    }

    [Fact]
    public async Task Stream_KillSwitchOff_BodyUntouchedAndNoUsage()
    {
        await using var gateway = await GatewayAsync("""
            general_settings:
              always_include_stream_usage: false
            """);

        var (_, events) = await PostAsync(gateway, StreamBody);

        Assert.Equal(_upstream.StreamChunks + 2, events.Count);
        Assert.Equal(StreamBody, Assert.Single(_upstream.Received).Body);
        Assert.Null(await UsageAsync());
    }

    [Fact]
    public async Task Stream_MockResponse_ReportsTheMockUsage()
    {
        await using var gateway = await GatewayAsync();

        var (status, _) = await PostAsync(gateway, """{"model":"gpt-4o-mini","stream":true,"mock_response":"hello there","messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(_upstream.Received);
        Assert.Equal(new TokenUsage(10, 20), await UsageAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Stream_MockResponseWithIncludeUsage_EndsWithAUsageChunkOnlyWhenAsked(bool asked)
    {
        await using var gateway = await GatewayAsync();
        var options = asked ? ""","stream_options":{"include_usage":true}""" : "";

        var (_, events) = await PostAsync(gateway, $$"""{"model":"gpt-4o-mini","stream":true,"mock_response":"hello there","messages":[{"role":"user","content":"Hi"}]{{options}}}""");

        Assert.Equal("[DONE]", events[^1]);
        var last = JsonNode.Parse(events[^2])!;
        Assert.Equal(asked, last["usage"] is not null);
        if (asked)
        {
            Assert.Equal(("[]", 30), (last["choices"]!.ToJsonString(), last["usage"]!["total_tokens"]!.GetValue<int>()));
        }
    }

    private Task<TestGateway> GatewayAsync(string settings = "") => TestGateway.StartAsync(
        $$"""
        model_list:
          - model_name: gpt-4o-mini
            litellm_params:
              model: openai/gpt-4o-mini
              api_base: {{_upstream.ApiBase}}
              api_key: {{_upstream.ApiKey}}
        {{settings}}
        """,
        configureServices: services => services.AddSingleton<ICallObserver>(_observer));

    private async Task<(HttpStatusCode Status, List<string> Events)> PostAsync(TestGateway gateway, string body)
    {
        using var response = await _http.PostAsync(new Uri(gateway.BaseAddress, "v1/chat/completions"), new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]).ToList();
        return (response.StatusCode, events);
    }

    private async Task<TokenUsage?> UsageAsync()
    {
        await _observer.FirstEnded;
        return Assert.Single(_observer.Ended).Usage;
    }
}
