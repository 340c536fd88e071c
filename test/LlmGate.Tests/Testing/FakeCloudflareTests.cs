using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Testing;

namespace LlmGate.Tests.Testing;

/// <summary>The fake Workers AI checks account, token, model and body as Cloudflare does, answers in its envelope, and streams its data events.</summary>
public sealed class FakeCloudflareTests : IAsyncLifetime
{
    private const string Key = "cf-token-0123456789";
    private const string Model = "@cf/meta/llama-3.1-8b-instruct";
    private const string Hello = """{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi there"}]}""";
    private const string Weather =
        """{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}""";

    private readonly HttpClient _http = new();
    private FakeCloudflare _cloudflare = null!;

    public async Task InitializeAsync() => _cloudflare = await FakeCloudflare.StartAsync(Key);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cloudflare.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string json, string? account = null, string model = Model, string? key = Key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_cloudflare.Root, $"/client/v4/accounts/{account ?? _cloudflare.AccountId}/ai/run/{model}"))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static (int Code, string Message) FirstError(string body)
    {
        var envelope = JsonNode.Parse(body)!;
        Assert.False(envelope["success"]!.GetValue<bool>());
        Assert.Null(envelope["result"]);
        var error = envelope["errors"]![0]!;
        return (error["code"]!.GetValue<int>(), error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_Messages_ResultInCloudflaresEnvelope()
    {
        var (status, json) = await PostAsync(Hello);
        var body = JsonNode.Parse(json)!;

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body["success"]!.GetValue<bool>());
        Assert.Equal("Hello from fake Cloudflare! You said: Hi there", body["result"]!["response"]!.GetValue<string>());
        var usage = body["result"]!["usage"]!;
        Assert.Equal(usage["prompt_tokens"]!.GetValue<int>() + usage["completion_tokens"]!.GetValue<int>(), usage["total_tokens"]!.GetValue<int>());
        Assert.Equal($"/client/v4/accounts/{_cloudflare.AccountId}/ai/run/{Model}", Assert.Single(_cloudflare.Received).Path);
    }

    [Fact]
    public async Task Run_OtherAccount_Is400CouldNotRoute()
    {
        var (status, body) = await PostAsync(Hello, account: "someone-else");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var (code, message) = FirstError(body);
        Assert.Equal(7003, code);
        Assert.Contains("perhaps your object identifier is invalid?", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    public async Task Run_MissingOrWrongToken_Is401AuthenticationError(string? key)
    {
        var (status, body) = await PostAsync(Hello, key: key);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal((10000, "Authentication error"), FirstError(body));
    }

    [Fact]
    public async Task Run_NotAWorkersAiModel_Is400NoSuchModel()
    {
        var (status, body) = await PostAsync(Hello, model: "gpt-4o");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal((5007, "No such model gpt-4o or task"), FirstError(body));
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}]}""", "Type mismatch of '/messages/0/content', 'array' not in 'string'")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"model":"x"}""", "additional property 'model'")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"stop":["x"]}""", "additional property 'stop'")]
    [InlineData("""{"messages":[{"role":"developer","content":"Hi"}]}""", "must be one of system, user, assistant, tool")]
    [InlineData("""{"messages":[{"role":"tool","tool_call_id":"c1","content":"18C"}]}""", "answers no tool call")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"function","function":{"name":"f"}}]}""", "'/tools/0' must have a name, a description")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"max_tokens":"many"}""", "'/max_tokens' must be an integer")]
    [InlineData("""{"prompt":"Hi"}""", "required properties at '/' are 'messages' or 'prompt'")]
    [InlineData("not json", "the body must be a JSON object")]
    public async Task Run_BadInput_Is400WithWorkersAisMessage(string json, string message)
    {
        var (status, body) = await PostAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var (code, text) = FirstError(body);
        Assert.Equal(5006, code);
        Assert.Contains(message, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_ToolsThenResult_CallsThenQuotes(bool openAiShape)
    {
        _cloudflare.OpenAiToolCalls = openAiShape;

        var (_, first) = await PostAsync($$"""{"messages":[{"role":"user","content":"Weather?"}],"tools":[{{Weather}}]}""");
        var call = JsonNode.Parse(first)!["result"]!["tool_calls"]![0]!;
        var (status, second) = await PostAsync("""
            {"messages":[{"role":"user","content":"Weather?"},
             {"role":"assistant","content":"","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
             {"role":"tool","tool_call_id":"call_1","name":"get_weather","content":"18C"}]}
            """);

        Assert.Equal(openAiShape ? """{"city":"Paris"}""" : null, call["function"]?["arguments"]?.GetValue<string>());
        Assert.Equal(openAiShape ? null : """{"city":"Paris"}""", call["arguments"]?.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("The tool get_weather returned 18C.", JsonNode.Parse(second)!["result"]!["response"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_JsonMode_ResponseIsAnObject()
    {
        var (_, json) = await PostAsync("""{"messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"json_object"}}""");

        Assert.Equal("Hello from fake Cloudflare! You said: Hi", JsonNode.Parse(json)!["result"]!["response"]!["answer"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_Stream_DataEventsUsageThenDone()
    {
        var (status, sse) = await PostAsync("""{"stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var data = sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]).ToList();
        Assert.Equal("[DONE]", data[^1]);
        var events = data[..^1].Select(d => JsonNode.Parse(d)!).ToList();
        Assert.Equal("Hello from fake Cloudflare! You said: Hi", string.Concat(events.Select(e => e["response"]!.GetValue<string>())));
        Assert.All(events[..^1], e => Assert.NotNull(e["p"]));
        Assert.NotNull(events[^1]["usage"]);
    }

    [Fact]
    public async Task Run_FailRemaining_CapacityErrorThenNormal()
    {
        _cloudflare.FailWithStatus = 429;
        _cloudflare.FailRemaining = 1;

        var (firstStatus, first) = await PostAsync(Hello);
        var (secondStatus, _) = await PostAsync(Hello);

        Assert.Equal((HttpStatusCode.TooManyRequests, HttpStatusCode.OK), (firstStatus, secondStatus));
        Assert.Equal(3040, FirstError(first).Code);
    }

    [Fact]
    public async Task UnknownPath_Is404NoRoute()
    {
        using var response = await _http.PostAsync(new Uri(_cloudflare.Root, "/client/v4/ai/run/x"), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(7000, FirstError(await response.Content.ReadAsStringAsync()).Code);
    }
}
