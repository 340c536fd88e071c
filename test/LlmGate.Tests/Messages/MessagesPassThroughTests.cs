using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Models.Messages;
using LlmGate.Testing;

namespace LlmGate.Tests.Messages;

/// <summary>
/// Issue 20: Anthropic's own SDK against the gateway's <c>/v1/messages</c>, routed to an <c>anthropic/</c> deployment: the
/// body passes through as the client wrote it (the strict fake refuses anything Anthropic would), streams event by event.
/// </summary>
public sealed class MessagesPassThroughTests : IAsyncLifetime
{
    private const string MasterKey = "sk-messages-master-31d0";
    private const string UpstreamKey = "sk-ant-upstream-key-0042";
    private FakeAnthropic _anthropic = null!;
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _anthropic = await FakeAnthropic.StartAsync(UpstreamKey);
        _gateway = await TestGateway.StartAsync($$"""
            model_list:
              - model_name: claude-sonnet
                litellm_params: {model: anthropic/claude-sonnet-4-5-20250929, api_base: "{{_anthropic.ApiBase}}", api_key: {{UpstreamKey}}}
            router_settings:
              num_retries: 0
            general_settings:
              master_key: {{MasterKey}}
            """);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _anthropic.DisposeAsync();
    }

    [Fact]
    public async Task Create_AnthropicDeployment_AnswerPassedThroughAndModelRewritten()
    {
        var message = await Client().Messages.Create(new MessageCreateParams
        {
            Model = "claude-sonnet",
            MaxTokens = 256,
            System = "Be brief.",
            Messages = [new UserMessageParam { Content = "Hello" }],
        });

        Assert.Equal("Hello from the fake Anthropic.", Assert.Single(message.Content).TryPickText(out var text) ? text.Text : null);
        Assert.Equal(12, message.Usage.InputTokens);
        var sent = JsonNode.Parse(Assert.Single(_anthropic.Received).Body)!;
        Assert.Equal("claude-sonnet-4-5-20250929", (string?)sent["model"]);
        Assert.Equal("Be brief.", (string?)sent["system"]);
    }

    [Fact]
    public async Task CreateStreaming_AnthropicDeployment_FirstEventBeforeTheUpstreamFinishes()
    {
        _anthropic.HoldStreamAfterFirstEvent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var events = new List<string>();
        var text = new StringBuilder();
        await foreach (var streamEvent in Client().Messages.CreateStreaming(new MessageCreateParams
        {
            Model = "claude-sonnet",
            MaxTokens = 256,
            Messages = [new UserMessageParam { Content = "Hello" }],
        }))
        {
            if (events.Count == 0)
            {
                Assert.False(_anthropic.HoldStreamAfterFirstEvent.Task.IsCompleted); // the upstream is still holding the rest
                _anthropic.HoldStreamAfterFirstEvent.SetResult();
            }

            events.Add(streamEvent.Value?.GetType().Name ?? "");
            if (streamEvent.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var textDelta))
            {
                text.Append(textDelta.Text);
            }
        }

        Assert.Equal("Hello from the fake Anthropic.", text.ToString());
        Assert.Equal(nameof(RawMessageStartEvent), events[0]);
        Assert.Equal(nameof(RawMessageStopEvent), events[^1]);
    }

    [Fact]
    public async Task UnknownModel_AnthropicShapedError()
    {
        using var http = new HttpClient { BaseAddress = _gateway.BaseAddress };
        http.DefaultRequestHeaders.Add("x-api-key", MasterKey);
        using var response = await http.PostAsync(new Uri("/v1/messages", UriKind.Relative), new StringContent(
            """{"model":"no-such-model","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("error", (string?)body["type"]);
        Assert.Equal("invalid_request_error", (string?)body["error"]!["type"]);
        Assert.Contains("no-such-model", (string?)body["error"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongKey_AnthropicShapedAuthenticationError()
    {
        using var http = new HttpClient { BaseAddress = _gateway.BaseAddress };
        http.DefaultRequestHeaders.Add("x-api-key", "sk-wrong");
        using var response = await http.PostAsync(new Uri("/anthropic/v1/messages", UriKind.Relative), new StringContent(
            """{"model":"claude-sonnet","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("authentication_error", (string?)body["error"]!["type"]);
        Assert.Empty(_anthropic.Received);
    }

    [Fact]
    public async Task ToolUseRoundTrip_AnthropicDeployment_ToolCalledThenResultAnswered()
    {
        const string tools = """[{"name":"get_weather","description":"Weather for a city","input_schema":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}]""";
        var first = await Client().Messages.Create(Raw($$"""
            {"model":"claude-sonnet","max_tokens":256,"tools":{{tools}},"messages":[{"role":"user","content":"Weather in Paris?"}]}
            """));
        Assert.Equal("tool_use", first.StopReason!.Raw());
        Assert.True(first.Content[^1].TryPickToolUse(out var toolUse));
        Assert.Equal("get_weather", toolUse.Name);

        var second = await Client().Messages.Create(Raw($$$"""
            {"model":"claude-sonnet","max_tokens":256,"tools":{{{tools}}},"messages":[
              {"role":"user","content":"Weather in Paris?"},
              {"role":"assistant","content":[{"type":"tool_use","id":"{{{toolUse.ID}}}","name":"get_weather","input":{"location":"Paris"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"{{{toolUse.ID}}}","content":"18 C and sunny"}]}]}
            """));

        Assert.True(second.Content[0].TryPickText(out var text));
        Assert.Contains("18 C and sunny", text.Text, StringComparison.Ordinal);
        Assert.Equal("end_turn", second.StopReason!.Raw());
    }

    [Fact]
    public async Task UpstreamOverloaded_AnthropicShapedErrorWithTheStatusItsSdkRetriesOn()
    {
        _anthropic.FailWithStatus = 529;
        using var http = new HttpClient { BaseAddress = _gateway.BaseAddress };
        http.DefaultRequestHeaders.Add("x-api-key", MasterKey);
        using var response = await http.PostAsync(new Uri("/v1/messages", UriKind.Relative), new StringContent(
            """{"model":"claude-sonnet","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True((int)response.StatusCode is 503 or 529, $"status {(int)response.StatusCode}");
        Assert.Equal("overloaded_error", (string?)body["error"]!["type"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Answer_AnthropicsRequestIdAndRateLimitHeadersRelayed(bool stream)
    {
        using var http = new HttpClient { BaseAddress = _gateway.BaseAddress };
        http.DefaultRequestHeaders.Add("x-api-key", MasterKey);
        using var response = await http.PostAsync(new Uri("/v1/messages", UriKind.Relative), new StringContent(
            $$"""{"model":"claude-sonnet","max_tokens":10,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hi"}]}""",
            Encoding.UTF8,
            "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_anthropic.RequestId, Assert.Single(response.Headers.GetValues("request-id")));
        Assert.Equal("49", Assert.Single(response.Headers.GetValues("anthropic-ratelimit-requests-remaining")));
    }

    [Fact]
    public async Task StreamCutByAnUpstreamErrorEvent_EndsWithAnAnthropicErrorEvent()
    {
        _anthropic.StreamErrorType = "overloaded_error";
        using var http = new HttpClient { BaseAddress = _gateway.BaseAddress };
        http.DefaultRequestHeaders.Add("x-api-key", MasterKey);
        using var response = await http.PostAsync(new Uri("/v1/messages", UriKind.Relative), new StringContent(
            """{"model":"claude-sonnet","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("event: message_start", text, StringComparison.Ordinal);
        Assert.EndsWith("\n\n", text, StringComparison.Ordinal);
        var last = text.TrimEnd().Split("\n\n")[^1];
        Assert.StartsWith("event: error\ndata: ", last, StringComparison.Ordinal);
        Assert.Equal("error", (string?)JsonNode.Parse(last["event: error\ndata: ".Length..])!["type"]);
    }

    [Fact]
    public async Task ClaudeCodeStyleWildcard_ModelAskedForReachesAnthropicByName()
    {
        await using var gateway = await TestGateway.StartAsync($$"""
            model_list:
              - model_name: claude-*
                litellm_params: {model: anthropic/claude-*, api_base: "{{_anthropic.ApiBase}}", api_key: {{UpstreamKey}}}
            general_settings:
              master_key: {{MasterKey}}
            """);
        var client = new AnthropicClient { AuthToken = MasterKey, BaseUrl = gateway.BaseAddress.ToString().TrimEnd('/'), MaxRetries = 0 };

        await client.Messages.Create(new MessageCreateParams
        {
            Model = "claude-sonnet-4-5-20250929",
            MaxTokens = 64,
            Messages = [new UserMessageParam { Content = "Hello" }],
        });

        Assert.Equal("claude-sonnet-4-5-20250929", (string?)JsonNode.Parse(Assert.Single(_anthropic.Received).Body)!["model"]);
    }

    private static MessageCreateParams Raw(string json) =>
        MessageCreateParams.FromRawUnchecked(
            new Dictionary<string, JsonElement>(),
            new Dictionary<string, JsonElement>(),
            JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!);

    private AnthropicClient Client() => new() { ApiKey = MasterKey, BaseUrl = _gateway.BaseAddress.ToString().TrimEnd('/'), MaxRetries = 0 };
}
