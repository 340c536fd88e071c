using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Testing;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace LlmGate.EndToEnd.Providers;

/// <summary>
/// AWS Bedrock behind the gateway: a strict fake of Bedrock Runtime that verifies each SigV4 signature with the test
/// secret and answers Converse JSON and binary event-stream frames, the official OpenAI SDK as the client.
/// </summary>
public sealed class BedrockEndToEndTests : IAsyncLifetime
{
    private const string MasterKey = "sk-1234";
    private const string AccessKey = "AKIAIOSFODNN7EXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string BedrockApiKey = "ABSK-bedrock-api-key-secret";
    private const string Claude = "us.anthropic.claude-3-5-haiku-20241022-v1:0";

    private FakeBedrock _bedrock = null!;
    private TestGateway _gateway = null!;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        _bedrock = await FakeBedrock.StartAsync(AccessKey, SecretKey, "us-east-1", BedrockApiKey);
        _gateway = await TestGateway.StartAsync($"""
            model_list:
              - model_name: claude
                litellm_params:
                  model: bedrock/{Claude}
                  aws_bedrock_runtime_endpoint: {_bedrock.ApiBase}
                  aws_region_name: us-east-1
                  aws_access_key_id: os.environ/AWS_ACCESS_KEY_ID
                  aws_secret_access_key: os.environ/AWS_SECRET_ACCESS_KEY
              - model_name: claude-invoke
                litellm_params:
                  model: bedrock/invoke/anthropic.claude-3-5-haiku-20241022-v1:0
                  api_base: {_bedrock.ApiBase}
              - model_name: nova-api-key
                litellm_params:
                  model: bedrock/converse/amazon.nova-lite-v1:0
                  api_base: {_bedrock.ApiBase}
                  api_key: {BedrockApiKey}
              - model_name: wrong-secret
                litellm_params:
                  model: bedrock/amazon.nova-lite-v1:0
                  api_base: {_bedrock.ApiBase}
                  aws_access_key_id: {AccessKey}
                  aws_secret_access_key: not-the-secret
              - model_name: titan
                litellm_params:
                  model: bedrock/amazon.titan-embed-text-v2:0
                  api_base: {_bedrock.ApiBase}
              - model_name: cohere-embed
                litellm_params:
                  model: bedrock/cohere.embed-english-v3
                  api_base: {_bedrock.ApiBase}
            litellm_settings:
              num_retries: 2
            general_settings:
              master_key: {MasterKey}
            """, new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
            ["AWS_REGION"] = "us-east-1",
        });
        _http.BaseAddress = _gateway.BaseAddress;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _bedrock.DisposeAsync();
    }

    private ChatClient Chat(string model) => GatewayClients.Chat(_gateway.BaseAddress, model, MasterKey);

    private static ChatCompletionOptions WeatherTool() => new()
    {
        Tools =
        {
            ChatTool.CreateFunctionTool("get_weather", "Current weather of a city",
                BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""")),
        },
    };

    [Fact]
    public async Task Chat_ThroughSdk_ConverseSignedWithTheDeploymentsKeys()
    {
        ChatCompletion completion = await Chat("claude").CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Hi")]);

        Assert.Equal("Hello from fake Bedrock! You said: Hi", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.True(completion.Usage.InputTokenCount > 0);
        var call = Assert.Single(_bedrock.Calls);
        Assert.Equal((Claude, "converse", AccessKey), (call.ModelId, call.Operation, call.SignedBy));
        var body = JsonNode.Parse(Assert.Single(_bedrock.Received).Body)!;
        Assert.Equal("Be brief.", body["system"]![0]!["text"]!.GetValue<string>());
        Assert.DoesNotContain(SecretKey, Assert.Single(_bedrock.Received).Headers.Values);
    }

    [Fact]
    public async Task StreamedChat_FirstChunkBeforeUpstreamFinishes_EventStreamTranslated()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _bedrock.HoldStreamAfterFirstChunk = hold;
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        var chunks = 0;

        await foreach (var update in Chat("claude").CompleteChatStreamingAsync([new UserChatMessage("Stream it")]))
        {
            if (chunks++ == 0)
            {
                hold.SetResult();
            }

            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
            finish ??= update.FinishReason;
        }

        Assert.Equal("Hello from fake Bedrock! You said: Stream it", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.Equal("converse-stream", Assert.Single(_bedrock.Calls).Operation);
    }

    [Fact]
    public async Task ToolCall_RoundTripsThroughSdk_ResultArrivesAsToolResult()
    {
        var client = Chat("claude");
        List<ChatMessage> messages = [new UserChatMessage("Weather in Paris?")];

        ChatCompletion first = await client.CompleteChatAsync(messages, WeatherTool());

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, "18C and sunny"));

        ChatCompletion second = await client.CompleteChatAsync(messages, WeatherTool());

        Assert.Contains("18C and sunny", second.Content[0].Text, StringComparison.Ordinal);
        var sent = JsonNode.Parse(_bedrock.Received.Last().Body)!;
        Assert.Equal(call.Id, sent["messages"]![2]!["content"]![0]!["toolResult"]!["toolUseId"]!.GetValue<string>());
    }

    [Fact]
    public async Task StreamedToolCall_InputDeltasAssembleIntoArguments()
    {
        string? name = null;
        var arguments = new StringBuilder();
        await foreach (var update in Chat("claude").CompleteChatStreamingAsync([new UserChatMessage("Weather in Paris?")], WeatherTool()))
        {
            foreach (var tool in update.ToolCallUpdates)
            {
                name ??= tool.FunctionName;
                arguments.Append(tool.FunctionArgumentsUpdate?.ToString());
            }
        }

        Assert.Equal("get_weather", name);
        Assert.Equal("Paris", JsonNode.Parse(arguments.ToString())!["city"]!.GetValue<string>());
    }

    [Fact]
    public async Task Throttling_RetriedThenAnswered()
    {
        _bedrock.FailWithStatus = 429;
        _bedrock.FailRemaining = 1;

        ChatCompletion completion = await Chat("claude").CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.StartsWith("Hello from fake Bedrock!", completion.Content[0].Text, StringComparison.Ordinal);
        Assert.Equal(2, _bedrock.Received.Count);
    }

    [Fact]
    public async Task CorruptedFrame_EndsTheStreamWithAnErrorEvent()
    {
        _bedrock.CorruptFrame = true;

        using var response = await _http.PostAsync("v1/chat/completions", new StringContent(
            """{"model":"claude","stream":true,"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"));
        var sse = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var last = sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.StartsWith("data: {\"error\"", last, StringComparison.Ordinal);
        Assert.Contains("CRC", last, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("[DONE]", sse, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamException_ThrottlingFrame_BecomesAnOpenAiErrorEvent()
    {
        _bedrock.StreamException = "throttlingException";

        using var response = await _http.PostAsync("v1/chat/completions", new StringContent(
            """{"model":"claude","stream":true,"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"));
        var sse = await response.Content.ReadAsStringAsync();

        var error = JsonNode.Parse(sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)[^1]["data: ".Length..])!["error"]!;
        Assert.Equal("rate_limit_error", error["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task BedrockApiKey_SentAsBearer()
    {
        ChatCompletion completion = await Chat("nova-api-key").CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.StartsWith("Hello from fake Bedrock!", completion.Content[0].Text, StringComparison.Ordinal);
        Assert.Equal(("amazon.nova-lite-v1:0", "Bearer"), (Assert.Single(_bedrock.Calls).ModelId, _bedrock.Calls.Single().SignedBy));
    }

    [Fact]
    public async Task WrongSecret_Is401AndTheSecretIsNeverEchoed()
    {
        using var response = await _http.PostAsync("v1/chat/completions", new StringContent(
            """{"model":"wrong-secret","messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("authentication_error", JsonNode.Parse(body)!["error"]!["type"]!.GetValue<string>());
        Assert.DoesNotContain("not-the-secret", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClaudeOnInvoke_ChatAndStreamWithAnthropicsBody()
    {
        ChatCompletion completion = await Chat("claude-invoke").CompleteChatAsync([new UserChatMessage("Hi")]);
        var streamed = new StringBuilder();
        await foreach (var update in Chat("claude-invoke").CompleteChatStreamingAsync([new UserChatMessage("Hi")]))
        {
            streamed.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
        }

        Assert.Equal("Hello from the fake Anthropic.", completion.Content[0].Text);
        Assert.Equal("Hello from the fake Anthropic.", streamed.ToString());
        Assert.Equal(["invoke", "invoke-with-response-stream"], _bedrock.Calls.Select(c => c.Operation));
        Assert.Equal("bedrock-2023-05-31", JsonNode.Parse(_bedrock.Received.First().Body)!["anthropic_version"]!.GetValue<string>());
    }

    [Fact]
    public async Task Embeddings_TitanAndCohere_InOpenAiShape()
    {
        OpenAIEmbedding titan = await GatewayClients.Embeddings(_gateway.BaseAddress, "titan", MasterKey).GenerateEmbeddingAsync("first text");
        OpenAIEmbeddingCollection cohere = await GatewayClients.Embeddings(_gateway.BaseAddress, "cohere-embed", MasterKey)
            .GenerateEmbeddingsAsync(["first text", "second text"]);

        Assert.Equal(FakeBedrock.ExpectedEmbedding("first text"), titan.ToFloats().ToArray());
        Assert.Equal(FakeBedrock.ExpectedEmbedding("second text"), cohere[1].ToFloats().ToArray());
        Assert.Equal(["invoke", "invoke"], _bedrock.Calls.Select(c => c.Operation));
    }
}
