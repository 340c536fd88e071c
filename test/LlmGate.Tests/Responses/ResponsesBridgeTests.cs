// The SDK marks its Responses client as an evaluation API; it is the client OpenAI ships for this endpoint.
#pragma warning disable OPENAI001
using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Testing;
using OpenAI.Responses;

namespace LlmGate.Tests.Responses;

/// <summary>
/// Issue 20: the OpenAI SDK's Responses client against <c>/v1/responses</c> routed to an Anthropic deployment: bridged
/// onto chat completions (and from there to Anthropic's Messages API), answered as a Responses object, streamed as
/// Responses events.
/// </summary>
public sealed class ResponsesBridgeTests : IAsyncLifetime
{
    private const string MasterKey = "sk-responses-bridge-3e77";
    private const string UpstreamKey = "sk-ant-bridge-0099";
    private FakeAnthropic _anthropic = null!;
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _anthropic = await FakeAnthropic.StartAsync(UpstreamKey);
        _gateway = await TestGateway.StartAsync($$"""
            model_list:
              - model_name: claude
                litellm_params: {model: anthropic/claude-sonnet-4-5, api_base: "{{_anthropic.ApiBase}}", api_key: {{UpstreamKey}}}
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
    public async Task Create_AnthropicDeployment_BridgedAndAnsweredAsAResponse()
    {
        ResponseResult response = await Client().CreateResponseAsync("claude", "Hello", previousResponseId: null);

        Assert.Equal("Hello from the fake Anthropic.", response.GetOutputText());
        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.StartsWith("resp_", response.Id, StringComparison.Ordinal);
        var sent = JsonNode.Parse(Assert.Single(_anthropic.Received).Body)!;
        Assert.Equal("claude-sonnet-4-5", (string?)sent["model"]);
        Assert.Equal("Hello", (string?)sent["messages"]![0]!["content"]!.AsArray()[0]!["text"] ?? (string?)sent["messages"]![0]!["content"]);
    }

    [Fact]
    public async Task CreateStreaming_AnthropicDeployment_ResponsesEventsWithTheText()
    {
        var text = new StringBuilder();
        var completed = false;
        await foreach (var update in await Client().CreateResponseStreamingAsync("claude", "Hello", previousResponseId: null))
        {
            switch (update)
            {
                case StreamingResponseOutputTextDeltaUpdate delta:
                    text.Append(delta.Delta);
                    break;
                case StreamingResponseCompletedUpdate done:
                    completed = done.Response.Status == ResponseStatus.Completed;
                    break;
            }
        }

        Assert.Equal("Hello from the fake Anthropic.", text.ToString());
        Assert.True(completed);
    }

    [Fact]
    public async Task PreviousResponseIdOnABridgedDeployment_ClearBadRequest_NothingSent()
    {
        var failure = await Assert.ThrowsAsync<ClientResultException>(() => Client().CreateResponseAsync("claude", "Hello", previousResponseId: "resp_earlier"));

        Assert.Equal((int)HttpStatusCode.BadRequest, failure.Status);
        Assert.Contains("previous_response_id", failure.Message, StringComparison.Ordinal);
        Assert.Empty(_anthropic.Received);
    }

    private ResponsesClient Client() => new(new ApiKeyCredential(MasterKey), new ResponsesClientOptions
    {
        Endpoint = new Uri(_gateway.BaseAddress, "v1"),
        RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
    });
}
