// The SDK marks its Responses client as an evaluation API; it is the client OpenAI ships for this endpoint.
#pragma warning disable OPENAI001
using System.ClientModel;
using System.Net;
using System.Text;
using LlmGate.Providers;
using LlmGate.Testing;
using OpenAI.Responses;

namespace LlmGate.Tests.Responses;

/// <summary>
/// Issue 20: the OpenAI .NET SDK's Responses client against <c>/v1/responses</c> on an OpenAI deployment: passed through,
/// streamed, continued with <c>previous_response_id</c>, fetched and deleted by id — all through ids the gateway made.
/// </summary>
public sealed class ResponsesPassThroughTests : IAsyncLifetime
{
    private const string MasterKey = "sk-responses-master-8c41";
    private FakeUpstream _first = null!;
    private FakeUpstream _second = null!;
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _first = await FakeUpstream.StartAsync();
        _second = await FakeUpstream.StartAsync();
        // Two deployments in one group: a continued response must go back to the one that stored it.
        _gateway = await TestGateway.StartAsync($$"""
            model_list:
              - model_name: gpt-5
                litellm_params: {model: openai/gpt-5-2025-08-07, api_base: "{{_first.ApiBase}}", api_key: {{_first.ApiKey}}}
              - model_name: gpt-5
                litellm_params: {model: openai/gpt-5-2025-08-07, api_base: "{{_second.ApiBase}}", api_key: {{_second.ApiKey}}}
            router_settings:
              num_retries: 0
            general_settings:
              master_key: {{MasterKey}}
            """);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    [Fact]
    public async Task Create_OpenAiDeployment_PassedThroughWithTheGatewaysIdAndTheUpstreamModel()
    {
        ResponseResult response = await Client().CreateResponseAsync("gpt-5", "Say hello", previousResponseId: null);

        Assert.Equal("Hello from the fake Responses API.", response.GetOutputText());
        Assert.True(ResponseIds.TryDecode(response.Id, out var deploymentId, out var upstreamId));
        Assert.StartsWith("resp_fake", upstreamId, StringComparison.Ordinal);
        Assert.Equal(17, response.Usage.TotalTokenCount);
        var sent = _first.Received.Concat(_second.Received).Single();
        Assert.Contains("\"model\":\"gpt-5-2025-08-07\"", sent.Body, StringComparison.Ordinal);
        Assert.NotEmpty(deploymentId);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("openai/v1")]
    public async Task AzureStylePaths_CreateAndRetrieveAsOnV1(string prefix)
    {
        var client = Client(prefix);

        ResponseResult created = await client.CreateResponseAsync("gpt-5", "Say hello", previousResponseId: null);
        ResponseResult fetched = await client.GetResponseAsync(created.Id);

        Assert.Equal(("Hello from the fake Responses API.", created.Id), (created.GetOutputText(), fetched.Id));
    }

    [Fact]
    public async Task PreviousResponseId_GoesToTheDeploymentThatStoredIt_AsTheUpstreamsOwnId()
    {
        var client = Client();
        ResponseResult first = await client.CreateResponseAsync("gpt-5", "Say hello", previousResponseId: null);
        ResponseIds.TryDecode(first.Id, out _, out var upstreamId);

        for (var turn = 0; turn < 4; turn++)
        {
            ResponseResult next = await client.CreateResponseAsync("gpt-5", "And again", previousResponseId: first.Id);
            Assert.Equal($"Continuing {upstreamId}.", next.GetOutputText()); // the fake found it: same deployment every time
            Assert.Equal(first.Id, next.PreviousResponseId); // the id the client knows, not the upstream's
        }

        Assert.True(_first.Received.Count == 5 || _second.Received.Count == 5, $"{_first.Received.Count} + {_second.Received.Count}");
    }

    [Fact]
    public async Task CreateStreaming_OpenAiDeployment_TextDeltasAndCompletedWithTheGatewaysId()
    {
        var text = new StringBuilder();
        string? completedId = null;
        await foreach (var update in await Client().CreateResponseStreamingAsync("gpt-5", "Say hello", previousResponseId: null))
        {
            switch (update)
            {
                case StreamingResponseOutputTextDeltaUpdate delta:
                    text.Append(delta.Delta);
                    break;
                case StreamingResponseCompletedUpdate completed:
                    completedId = completed.Response.Id;
                    break;
            }
        }

        Assert.Equal("Hello from the fake Responses API.", text.ToString());
        Assert.True(ResponseIds.TryDecode(completedId!, out _, out _));
    }

    [Fact]
    public async Task GetAndDelete_ByTheGatewaysId_ReachTheStoringDeployment()
    {
        var client = Client();
        ResponseResult created = await client.CreateResponseAsync("gpt-5", "Say hello", previousResponseId: null);

        ResponseResult fetched = await client.GetResponseAsync(created.Id);
        ResponseDeletionResult deleted = await client.DeleteResponseAsync(created.Id);
        var gone = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(created.Id));

        Assert.Equal(created.Id, fetched.Id);
        Assert.Equal("Hello from the fake Responses API.", fetched.GetOutputText());
        Assert.True(deleted.Deleted);
        Assert.Equal(404, gone.Status);
    }

    [Fact]
    public async Task Get_IdTheGatewayDidNotMake_ClearNotFound()
    {
        using var http = new HttpClient { BaseAddress = _gateway.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", MasterKey);

        using var response = await http.GetAsync(new Uri("/v1/responses/resp_abc123", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("OpenAI and Azure deployments only", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_first.Received.Concat(_second.Received));
    }

    private ResponsesClient Client(string prefix = "v1") => new(new ApiKeyCredential(MasterKey), new ResponsesClientOptions
    {
        Endpoint = new Uri(_gateway.BaseAddress, prefix),
        RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
    });
}
