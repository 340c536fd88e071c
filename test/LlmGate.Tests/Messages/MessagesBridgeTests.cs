using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Models.Messages;
using LlmGate.Testing;

namespace LlmGate.Tests.Messages;

/// <summary>
/// Issue 20: Anthropic's SDK against <c>/v1/messages</c> routed to an OpenAI deployment: the call is bridged onto chat
/// completions and the answer comes back in Anthropic's shape, streams as Anthropic's event sequence.
/// </summary>
public sealed class MessagesBridgeTests : IAsyncLifetime
{
    private const string MasterKey = "sk-bridge-master-6a19";
    private FakeUpstream _openAi = null!;
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _openAi = await FakeUpstream.StartAsync();
        _gateway = await TestGateway.StartAsync($$"""
            model_list:
              - model_name: claude-sonnet
                litellm_params: {model: openai/gpt-4o, api_base: "{{_openAi.ApiBase}}", api_key: {{_openAi.ApiKey}}}
            router_settings:
              num_retries: 0
            general_settings:
              master_key: {{MasterKey}}
            """);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _openAi.DisposeAsync();
    }

    [Fact]
    public async Task Create_OpenAiDeployment_TranslatedBothWays()
    {
        var message = await Client().Messages.Create(new MessageCreateParams
        {
            Model = "claude-sonnet",
            MaxTokens = 256,
            System = "Be brief.",
            Messages = [new UserMessageParam { Content = "Hello" }],
        });

        Assert.True(Assert.Single(message.Content).TryPickText(out var text));
        Assert.Equal("Hello from the fake upstream.", text.Text);
        Assert.Equal("end_turn", message.StopReason!.Raw());
        Assert.Equal(6, message.Usage.OutputTokens);
        var sent = JsonNode.Parse(Assert.Single(_openAi.Received).Body)!;
        Assert.Equal("gpt-4o", (string?)sent["model"]);
        Assert.Equal("system", (string?)sent["messages"]![0]!["role"]);
        Assert.Equal("Be brief.", (string?)sent["messages"]![0]!["content"]);
        Assert.Equal(256, (int?)sent["max_tokens"]);
    }

    [Fact]
    public async Task CreateStreaming_OpenAiDeployment_AnthropicEventsFirstBeforeTheUpstreamFinishes()
    {
        _openAi.HoldStreamAfterFirstChunk = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var types = new List<string>();
        var text = new StringBuilder();
        await foreach (var streamEvent in Client().Messages.CreateStreaming(new MessageCreateParams
        {
            Model = "claude-sonnet",
            MaxTokens = 256,
            Messages = [new UserMessageParam { Content = "Hello" }],
        }))
        {
            if (types.Count == 0)
            {
                Assert.False(_openAi.HoldStreamAfterFirstChunk.Task.IsCompleted);
                _openAi.HoldStreamAfterFirstChunk.SetResult();
            }

            types.Add(streamEvent.Json.GetProperty("type").GetString()!);
            if (streamEvent.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var textDelta))
            {
                text.Append(textDelta.Text);
            }
        }

        Assert.Equal(string.Concat(Enumerable.Range(0, _openAi.StreamChunks).Select(i => $"word{i} ")), text.ToString());
        Assert.Equal("message_start", types[0]);
        Assert.Equal(["message_delta", "message_stop"], types[^2..]);
        Assert.Contains("content_block_start", types);
        Assert.Contains("content_block_stop", types);
    }

    [Fact]
    public async Task ToolUseRoundTrip_OpenAiDeployment_ToolUseAndToolResultTranslated()
    {
        const string tools = """[{"name":"get_weather","description":"Weather for a city","input_schema":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}]""";
        var first = await Client().Messages.Create(Raw($$"""
            {"model":"claude-sonnet","max_tokens":256,"tools":{{tools}},"messages":[{"role":"user","content":"Weather in Paris?"}]}
            """));
        Assert.Equal("tool_use", first.StopReason!.Raw());
        Assert.True(first.Content[^1].TryPickToolUse(out var toolUse));
        Assert.Equal("get_weather", toolUse.Name);
        Assert.Equal("Paris", toolUse.Input["location"].GetString());

        var second = await Client().Messages.Create(Raw($$$"""
            {"model":"claude-sonnet","max_tokens":256,"tools":{{{tools}}},"messages":[
              {"role":"user","content":"Weather in Paris?"},
              {"role":"assistant","content":[{"type":"tool_use","id":"{{{toolUse.ID}}}","name":"get_weather","input":{"location":"Paris"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"{{{toolUse.ID}}}","content":"18 C and sunny"}]}]}
            """));

        Assert.True(second.Content[0].TryPickText(out var text));
        Assert.Equal("The tool said: 18 C and sunny", text.Text);
        var sent = JsonNode.Parse(_openAi.Received.Last().Body)!["messages"]!.AsArray();
        Assert.Equal("tool", (string?)sent[^1]!["role"]);
        Assert.Equal(toolUse.ID, (string?)sent[^1]!["tool_call_id"]);
        Assert.Equal(toolUse.ID, (string?)sent[^2]!["tool_calls"]![0]!["id"]);
    }

    [Fact]
    public async Task ServerToolTheBridgeCannotCarry_ClearAnthropicError_NothingSent()
    {
        using var http = new HttpClient { BaseAddress = _gateway.BaseAddress };
        http.DefaultRequestHeaders.Add("x-api-key", MasterKey);
        using var response = await http.PostAsync(new Uri("/v1/messages", UriKind.Relative), new StringContent(
            """{"model":"claude-sonnet","max_tokens":10,"tools":[{"type":"web_search_20250305","name":"web_search"}],"messages":[{"role":"user","content":"hi"}]}""",
            Encoding.UTF8,
            "application/json"));

        Assert.Equal(400, (int)response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("invalid_request_error", (string?)body["error"]!["type"]);
        Assert.Contains("web_search", (string?)body["error"]!["message"], StringComparison.Ordinal);
        Assert.Empty(_openAi.Received);
    }

    private static MessageCreateParams Raw(string json) =>
        MessageCreateParams.FromRawUnchecked(
            new Dictionary<string, JsonElement>(), new Dictionary<string, JsonElement>(), JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!);

    private AnthropicClient Client() => new() { ApiKey = MasterKey, BaseUrl = _gateway.BaseAddress.ToString().TrimEnd('/'), MaxRetries = 0 };
}
