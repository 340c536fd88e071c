using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.OpenAi;
using LlmGate.Testing;
using OpenAI.Chat;

namespace LlmGate.EndToEnd.Providers;

/// <summary>
/// One gateway in front of three provider families, each a fake that speaks its provider's real wire format and checks
/// the credentials that provider expects; the official OpenAI SDK is the client throughout.
/// </summary>
public sealed class ProvidersEndToEndTests : IAsyncLifetime
{
    private const string MasterKey = "sk-1234";
    private const string AnthropicKey = "sk-ant-api03-secret-anthropic-key";
    private const string AzureKey = "azure-secret-key-0123456789abcdef";
    private const string AzureToken = "eyJ0eXAiOiJKV1Qi.azure-ad-token.secret";
    private const string GroqKey = "gsk_secret-groq-key-0123456789";
    private static readonly string[] AllKeys = [AnthropicKey, AzureKey, AzureToken, GroqKey];

    private FakeAnthropic _anthropic = null!;
    private FakeAzureOpenAI _azure = null!;
    private FakeUpstream _groq = null!;
    private TestGateway _gateway = null!;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        _anthropic = await FakeAnthropic.StartAsync(AnthropicKey);
        _azure = await FakeAzureOpenAI.StartAsync(AzureKey, AzureToken, "my-gpt4o", "my-embedding");
        _groq = await FakeUpstream.StartAsync(GroqKey);
        var yaml = $"""
            model_list:
              - model_name: claude
                litellm_params:
                  model: anthropic/claude-3-5-sonnet-latest
                  api_base: {_anthropic.ApiBase}
              - model_name: "anthropic/*"
                litellm_params:
                  model: "anthropic/*"
                  api_base: {_anthropic.ApiBase}
              - model_name: claude-wrong-key
                litellm_params:
                  model: anthropic/claude-3-5-haiku-latest
                  api_base: {_anthropic.ApiBase}
                  api_key: sk-ant-not-the-right-one
              - model_name: azure-gpt
                litellm_params:
                  model: azure/my-gpt4o
                  api_base: {_azure.ApiBase}
                  api_version: "2024-10-21"
              - model_name: azure-entra
                litellm_params:
                  model: azure/my-gpt4o
                  api_base: {_azure.ApiBase}
                  azure_ad_token: os.environ/ENTRA_TOKEN
              - model_name: azure-embedding
                litellm_params:
                  model: azure/my-embedding
                  api_base: {_azure.ApiBase}
              - model_name: llama
                litellm_params:
                  model: groq/llama-3.1-8b-instant
                  api_base: {_groq.ApiBase}
            general_settings:
              master_key: os.environ/LITELLM_MASTER_KEY
            """;
        _gateway = await TestGateway.StartAsync(yaml, new Dictionary<string, string>
        {
            ["LITELLM_MASTER_KEY"] = MasterKey,
            ["ANTHROPIC_API_KEY"] = AnthropicKey,
            ["AZURE_API_KEY"] = AzureKey,
            ["ENTRA_TOKEN"] = AzureToken,
            ["GROQ_API_KEY"] = GroqKey,
            ["AZURE_API_VERSION"] = "2024-06-01",
        });
        _http.BaseAddress = _gateway.BaseAddress;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _groq.DisposeAsync();
        await _azure.DisposeAsync();
        await _anthropic.DisposeAsync();
    }

    private static ChatCompletionOptions WeatherTool() => new()
    {
        Tools =
        {
            ChatTool.CreateFunctionTool("get_weather", "Current weather of a city",
                BinaryData.FromString("""{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}""")),
        },
        ToolChoice = ChatToolChoice.CreateAutoChoice(),
    };

    [Fact]
    public async Task Anthropic_Chat_ThroughSdk_TranslatedWithAnthropicHeaders()
    {
        ChatCompletion completion = await GatewayClients.Chat(_gateway.BaseAddress, "claude").CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("Hi"), new AssistantChatMessage("Hello!"), new UserChatMessage("How are you?")]);

        Assert.Equal("Hello from the fake Anthropic.", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal((12, 7, 19), (completion.Usage.InputTokenCount, completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount));
        var received = Assert.Single(_anthropic.Received);
        Assert.Equal("/v1/messages", received.Path);
        Assert.Equal(AnthropicKey, received.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", received.Headers["anthropic-version"]);
        Assert.Equal("", received.Authorization);
        var body = JsonNode.Parse(received.Body)!;
        Assert.Equal("claude-3-5-sonnet-latest", body["model"]!.GetValue<string>());
        Assert.Equal("Be brief.", body["system"]!.GetValue<string>());
        Assert.Equal(4096, body["max_tokens"]!.GetValue<int>());
        Assert.Equal(3, body["messages"]!.AsArray().Count);
        AssertNoKeyExcept(received, AnthropicKey);
    }

    [Fact]
    public async Task Anthropic_BareClaudeName_InfersProviderAndMatchesWildcard()
    {
        ChatCompletion completion = await GatewayClients.Chat(_gateway.BaseAddress, "claude-3-7-sonnet-latest").CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.Equal("Hello from the fake Anthropic.", completion.Content[0].Text);
        Assert.Equal("claude-3-7-sonnet-latest", JsonNode.Parse(Assert.Single(_anthropic.Received).Body)!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Anthropic_StreamedChat_ThroughSdk_ChunksAssembledWithFinishReason()
    {
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        var options = new ChatCompletionOptions();
        await foreach (var update in GatewayClients.Chat(_gateway.BaseAddress, "claude").CompleteChatStreamingAsync([new UserChatMessage("Hi")], options))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
        }

        Assert.Equal("Hello from the fake Anthropic.", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.True(JsonNode.Parse(Assert.Single(_anthropic.Received).Body)!["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Anthropic_StreamedChat_RawSse_OpenAiChunksUsageAndDone()
    {
        using var response = await PostAsync("/v1/chat/completions",
            """{"model":"claude","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}""");
        var sse = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: [DONE]", events[^1]);
        Assert.All(events[..^1], e => Assert.Equal("chat.completion.chunk", JsonNode.Parse(e["data: ".Length..])!["object"]!.GetValue<string>()));
        var usage = JsonNode.Parse(events[^2]["data: ".Length..])!["usage"]!;
        Assert.Equal((12, 9, 21), (usage["prompt_tokens"]!.GetValue<int>(), usage["completion_tokens"]!.GetValue<int>(), usage["total_tokens"]!.GetValue<int>()));
        AssertNoKey(sse);
    }

    [Fact]
    public async Task Anthropic_ToolCall_RoundTripsThroughSdk_ResultArrivesAsToolResultBlock()
    {
        var client = GatewayClients.Chat(_gateway.BaseAddress, "claude");
        List<ChatMessage> messages = [new UserChatMessage("Weather in Paris?")];
        ChatCompletion first = await client.CompleteChatAsync(messages, WeatherTool());

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal(("toolu_01A", "get_weather"), (call.Id, call.FunctionName));
        Assert.Equal("Paris", JsonNode.Parse(call.FunctionArguments.ToString())!["location"]!.GetValue<string>());
        var sentTools = JsonNode.Parse(_anthropic.Received.Last().Body)!;
        Assert.Equal("get_weather", sentTools["tools"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("object", sentTools["tools"]![0]!["input_schema"]!["type"]!.GetValue<string>());
        Assert.Equal("auto", sentTools["tool_choice"]!["type"]!.GetValue<string>());

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, "18 degrees and sunny"));
        ChatCompletion second = await client.CompleteChatAsync(messages, WeatherTool());

        Assert.Equal("The tool said: \"18 degrees and sunny\"", second.Content[0].Text);
        var sent = JsonNode.Parse(_anthropic.Received.Last().Body)!["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "user"], sent.Select(m => m!["role"]!.GetValue<string>()));
        var toolUse = sent[1]!["content"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "tool_use")!;
        Assert.Equal(("toolu_01A", "Paris"), (toolUse["id"]!.GetValue<string>(), toolUse["input"]!["location"]!.GetValue<string>()));
        var toolResult = sent[2]!["content"]![0]!;
        Assert.Equal(("tool_result", "toolu_01A"), (toolResult["type"]!.GetValue<string>(), toolResult["tool_use_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Anthropic_StreamedToolCall_DeltasAssembleIntoArguments()
    {
        var arguments = new StringBuilder();
        string? name = null;
        string? id = null;
        ChatFinishReason? finish = null;
        await foreach (var update in GatewayClients.Chat(_gateway.BaseAddress, "claude").CompleteChatStreamingAsync([new UserChatMessage("Weather in Paris?")], WeatherTool()))
        {
            foreach (var toolCall in update.ToolCallUpdates)
            {
                Assert.Equal(0, toolCall.Index);
                name ??= toolCall.FunctionName;
                id ??= toolCall.ToolCallId;
                arguments.Append(toolCall.FunctionArgumentsUpdate?.ToString());
            }

            finish ??= update.FinishReason;
        }

        Assert.Equal(("get_weather", "toolu_01A"), (name, id));
        Assert.Equal("Paris", JsonNode.Parse(arguments.ToString())!["location"]!.GetValue<string>());
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
    }

    [Theory]
    [InlineData(429, 429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit")]
    [InlineData(529, 503, "api_error", "Overloaded")]
    [InlineData(400, 400, "invalid_request_error", "Fake Anthropic failure 400")]
    public async Task Anthropic_Errors_MappedToOpenAiShapeAndStatus(int anthropicStatus, int status, string type, string message)
    {
        _anthropic.FailWithStatus = anthropicStatus;

        using var response = await PostAsync("/v1/chat/completions", """{"model":"claude","messages":[{"role":"user","content":"hi"}]}""");
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal((message, type, status.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (error["message"]!.GetValue<string>(), error["type"]!.GetValue<string>(), error["code"]!.GetValue<string>()));
        if (anthropicStatus == 429)
        {
            Assert.Equal("7", response.Headers.RetryAfter?.ToString());
        }

        var sdkError = await Assert.ThrowsAsync<ClientResultException>(() => GatewayClients.Chat(_gateway.BaseAddress, "claude").CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(status, sdkError.Status);
    }

    [Fact]
    public async Task Anthropic_WrongKey_Is401AuthenticationErrorWithoutEchoingKeys()
    {
        using var response = await PostAsync("/v1/chat/completions", """{"model":"claude-wrong-key","messages":[{"role":"user","content":"hi"}]}""");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("authentication_error", JsonNode.Parse(text)!["error"]!["type"]!.GetValue<string>());
        Assert.DoesNotContain("sk-ant-not-the-right-one", text, StringComparison.Ordinal);
        AssertNoKey(text);
    }

    [Fact]
    public async Task Anthropic_StreamErrorEvent_EndsStreamWithOpenAiErrorEvent()
    {
        _anthropic.StreamErrorType = "overloaded_error";

        using var response = await PostAsync("/v1/chat/completions", """{"model":"claude","stream":true,"messages":[{"role":"user","content":"hi"}]}""");
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        var error = JsonNode.Parse(events[^1]["data: ".Length..])!["error"]!;
        Assert.Equal(("Overloaded", "503"), (error["message"]!.GetValue<string>(), error["code"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("/v1/embeddings", """{"model":"claude","input":"hi"}""", "/embeddings")]
    [InlineData("/v1/completions", """{"model":"claude","prompt":"hi"}""", "/completions")]
    public async Task Anthropic_EmbeddingsOrCompletions_Is400NotSupportedAndNothingSent(string path, string body, string endpoint)
    {
        using var response = await PostAsync(path, body);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal($"{endpoint} is not supported by provider anthropic; use /chat/completions.", error["message"]!.GetValue<string>());
        Assert.Empty(_anthropic.Received);
    }

    [Fact]
    public async Task Azure_Chat_ThroughSdk_DeploymentPathApiVersionAndApiKeyHeader()
    {
        ChatCompletion completion = await GatewayClients.Chat(_gateway.BaseAddress, "azure-gpt").CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.Equal("Hello from Azure deployment my-gpt4o.", completion.Content[0].Text);
        var received = Assert.Single(_azure.Received);
        Assert.Equal("/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21", received.Path);
        Assert.Equal(AzureKey, received.Headers["api-key"]);
        Assert.Equal("", received.Authorization);
        AssertNoKeyExcept(received, AzureKey);
    }

    [Fact]
    public async Task Azure_EntraToken_SentAsBearerAndVersionFromEnvironment()
    {
        await GatewayClients.Chat(_gateway.BaseAddress, "azure-entra").CompleteChatAsync([new UserChatMessage("Hi")]);

        var received = Assert.Single(_azure.Received);
        Assert.Equal("Bearer " + AzureToken, received.Authorization);
        Assert.False(received.Headers.ContainsKey("api-key"));
        Assert.EndsWith("?api-version=2024-06-01", received.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Azure_StreamedChat_ThroughSdk_PassedThrough()
    {
        var text = new StringBuilder();
        await foreach (var update in GatewayClients.Chat(_gateway.BaseAddress, "azure-gpt").CompleteChatStreamingAsync([new UserChatMessage("Hi")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        Assert.Equal("Hello from Azure.", text.ToString());
    }

    [Fact]
    public async Task Azure_Embeddings_ThroughSdk_UseEmbeddingsPath()
    {
        var embedding = await GatewayClients.Embeddings(_gateway.BaseAddress, "azure-embedding").GenerateEmbeddingAsync("hello");

        Assert.Equal([0.5f, 0.25f], embedding.Value.ToFloats().ToArray());
        Assert.StartsWith("/openai/deployments/my-embedding/embeddings?api-version=", Assert.Single(_azure.Received).Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Azure_ContentFilter400_PassedBackInOpenAiShape()
    {
        _azure.ContentFilter = true;

        using var response = await PostAsync("/v1/chat/completions", """{"model":"azure-gpt","messages":[{"role":"user","content":"hi"}]}""");
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("The response was filtered", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(("invalid_request_error", "prompt", "400"), (error["type"]!.GetValue<string>(), error["param"]!.GetValue<string>(), error["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AzureStyleRoute_OnGateway_PathNamesTheModelAndUpstreamGetsIt()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/openai/deployments/llama/chat/completions?api-version=2024-10-21")
        {
            Content = new StringContent("""{"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("api-key", MasterKey);

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(_groq.Received);
        Assert.Equal("llama-3.1-8b-instant", JsonNode.Parse(received.Body)!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task AzureStyleRoute_PathWinsOverBodyModel()
    {
        using var response = await PostAsync("/openai/deployments/azure-gpt/chat/completions?api-version=2024-10-21",
            """{"model":"llama","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(_groq.Received);
        Assert.Single(_azure.Received);
    }

    [Fact]
    public async Task OpenAiCompatible_Groq_BearerKeyFromGroqVariable()
    {
        ChatCompletion completion = await GatewayClients.Chat(_gateway.BaseAddress, "llama").CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.Equal("Hello from the fake upstream.", completion.Content[0].Text);
        var received = Assert.Single(_groq.Received);
        Assert.Equal("Bearer " + GroqKey, received.Authorization);
        AssertNoKeyExcept(received, GroqKey);
    }

    // A string that is no Unicode is the client's 400, found before the translation to Anthropic decodes it (which threw):
    // never an internal error, which would count against the deployment and could page someone for a client's bug.
    [Theory]
    [InlineData(false, "The request body holds an unpaired surrogate escape (\\ud800) in a string, which is no Unicode character.")]
    [InlineData(true, "The request body is not valid UTF-8.")]
    public async Task Anthropic_ChatWithTextThatIsNoUnicode_Is400AndNothingSent(bool rawBytes, string message)
    {
        var json = Encoding.UTF8.GetBytes("""{"model":"claude","messages":[{"role":"user","content":"a \ud800 b"}]}""").ToList();
        if (rawBytes)
        {
            var at = json.IndexOf((byte)'\\');
            json.RemoveRange(at, 6);
            json.InsertRange(at, new byte[] { 0xED, 0xA0, 0x80 }); // the surrogate itself, as UTF-8 may not encode it
        }

        using var content = new ByteArrayContent(json.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await PostAsync("/v1/chat/completions", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["message"]!.GetValue<string>());
        Assert.Empty(_anthropic.Received);
    }

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private Task<HttpResponseMessage> PostAsync(string path, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
        return _http.SendAsync(request);
    }

    // A provider sees its own credential and nothing else: not another provider's, not the gateway's master key.
    private static void AssertNoKeyExcept(ReceivedRequest received, string own)
    {
        var everything = string.Join("\n", received.Headers.Select(h => h.Key + ": " + h.Value)) + "\n" + received.Body;
        foreach (var key in AllKeys.Where(k => k != own).Append(MasterKey))
        {
            Assert.DoesNotContain(key, everything, StringComparison.Ordinal);
        }
    }

    private static void AssertNoKey(string clientVisible)
    {
        foreach (var key in AllKeys)
        {
            Assert.DoesNotContain(key, clientVisible, StringComparison.Ordinal);
        }
    }
}
