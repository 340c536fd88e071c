using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Testing;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace LlmGate.EndToEnd.Providers;

/// <summary>
/// Cohere (v2 chat, its typed stream, embeddings) and Cloudflare Workers AI behind the gateway: strict fakes of both
/// APIs, the official OpenAI SDK as the client. The Cohere key comes from <c>CO_API_KEY</c> alone, as LiteLLM reads it
/// when <c>COHERE_API_KEY</c> is unset. Each test gets fresh fakes and a fresh gateway.
/// </summary>
public sealed class CohereCloudflareEndToEndTests : IAsyncLifetime
{
    private const string MasterKey = "sk-1234";
    private const string CohereKey = "co-secret-cohere-key-0123456789";
    private const string CloudflareKey = "cf-secret-cloudflare-token-0123456789";
    private const string WorkersModel = "@cf/meta/llama-3.1-8b-instruct";

    private FakeCohere _cohere = null!;
    private FakeCloudflare _cloudflare = null!;
    private TestGateway _gateway = null!;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        _cohere = await FakeCohere.StartAsync(CohereKey);
        _cloudflare = await FakeCloudflare.StartAsync(CloudflareKey);
        var yaml = $"""
            model_list:
              - model_name: command
                litellm_params:
                  model: cohere/command-r-plus
                  api_base: {_cohere.ChatUrl}
              - model_name: "cohere/*"
                litellm_params:
                  model: "cohere/*"
              - model_name: command-a
                litellm_params:
                  model: cohere_chat/command-a-03-2025
                  api_base: {_cohere.Root}
              - model_name: cohere-wrong-key
                litellm_params:
                  model: cohere/command-r
                  api_base: {_cohere.ChatUrl}
                  api_key: co-not-the-right-key-0123456789
              - model_name: cohere-embedding
                litellm_params:
                  model: cohere/embed-english-v3.0
                  api_base: {_cohere.Root}v2
              - model_name: workers-llama
                litellm_params:
                  model: cloudflare/{WorkersModel}
                  api_base: {_cloudflare.RunPrefix}
              - model_name: workers-no-account
                litellm_params:
                  model: cloudflare/{WorkersModel}
            litellm_settings:
              num_retries: 2
            general_settings:
              master_key: {MasterKey}
            """;
        _gateway = await TestGateway.StartAsync(yaml, new Dictionary<string, string>
        {
            // No COHERE_API_KEY: LiteLLM's next variable, CO_API_KEY, holds the key.
            ["CO_API_KEY"] = CohereKey,
            ["COHERE_API_BASE"] = _cohere.Root.ToString(),
            ["CLOUDFLARE_API_KEY"] = CloudflareKey,
        });
        _http.BaseAddress = _gateway.BaseAddress;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _cloudflare.DisposeAsync();
        await _cohere.DisposeAsync();
    }

    private ChatClient Chat(string model) => GatewayClients.Chat(_gateway.BaseAddress, model, MasterKey);

    private static ChatCompletionOptions WeatherTool() => new()
    {
        Tools =
        {
            ChatTool.CreateFunctionTool("get_weather", "Current weather of a city",
                BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}""")),
        },
    };

    private static async Task<(string Text, ChatFinishReason? Finish, int Chunks)> StreamAsync(ChatClient client, string prompt, TaskCompletionSource? releaseAfterFirst = null)
    {
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        var chunks = 0;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage(prompt)]))
        {
            if (chunks++ == 0)
            {
                // The fake holds the rest of its stream until the client has seen the first chunk.
                releaseAfterFirst?.SetResult();
            }

            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
            finish ??= update.FinishReason;
        }

        return (text.ToString(), finish, chunks);
    }

    [Theory]
    [InlineData("command", "command-r-plus")]
    [InlineData("command-a", "command-a-03-2025")]
    public async Task CohereChat_ThroughSdk_TranslatedToV2ChatAndBack(string group, string model)
    {
        ChatCompletion completion = await Chat(group).CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("Hi"), new AssistantChatMessage("Hello!"), new UserChatMessage("How are you?")]);

        Assert.Equal("Hello from fake Cohere! You said: How are you?", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.True(completion.Usage.InputTokenCount > FakeCohere.PreambleTokens && completion.Usage.OutputTokenCount > 0);
        var received = Assert.Single(_cohere.Received);
        Assert.Equal("/v2/chat", received.Path);
        var body = JsonNode.Parse(received.Body)!;
        Assert.Equal((model, false), (body["model"]!.GetValue<string>(), body["stream"]!.GetValue<bool>()));
        Assert.Equal(["system", "user", "assistant", "user"], body["messages"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()));
    }

    [Fact]
    public async Task CohereKey_FromCoApiKeyWhenCohereApiKeyIsUnset_SentAsBearer()
    {
        await Chat("command").CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.Equal("Bearer " + CohereKey, Assert.Single(_cohere.Received).Authorization);
    }

    [Fact]
    public async Task CohereStream_FirstChunkReachesClientBeforeUpstreamFinishes()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _cohere.HoldStreamAfterFirstChunk = hold;

        var (text, finish, chunks) = await StreamAsync(Chat("command"), "Stream it", hold);

        Assert.Equal("Hello from fake Cohere! You said: Stream it", text);
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.True(chunks >= 3, $"{chunks} chunks");
        Assert.True(JsonNode.Parse(Assert.Single(_cohere.Received).Body)!["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task CohereStream_RawSse_OpenAiChunksUsageAndDone()
    {
        using var response = await _http.PostAsync("v1/chat/completions", new StringContent(
            """{"model":"command","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"));
        var sse = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]).ToArray();
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonNode.Parse(e)!).ToArray();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c["object"]!.GetValue<string>()));
        Assert.Single(chunks.Select(c => c["id"]!.GetValue<string>()).Distinct());
        Assert.Equal("stop", chunks.Select(c => c["choices"]!.AsArray().FirstOrDefault()?["finish_reason"]).OfType<JsonNode>().Single().GetValue<string>());
        Assert.Empty(chunks[^1]["choices"]!.AsArray());
        Assert.True(chunks[^1]["usage"]!["prompt_tokens"]!.GetValue<int>() > FakeCohere.PreambleTokens);
    }

    [Fact]
    public async Task CohereToolCall_RoundTripsThroughSdk_ResultAnswersTheCallById()
    {
        var client = Chat("command");
        List<ChatMessage> messages = [new UserChatMessage("Weather in Paris?")];

        ChatCompletion first = await client.CompleteChatAsync(messages, WeatherTool());

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.StartsWith("get_weather_", call.Id, StringComparison.Ordinal);
        Assert.Equal("Paris", JsonNode.Parse(call.FunctionArguments.ToString())!["city"]!.GetValue<string>());
        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, "18C and sunny"));

        ChatCompletion second = await client.CompleteChatAsync(messages, WeatherTool());

        Assert.Equal(ChatFinishReason.Stop, second.FinishReason);
        Assert.Equal("The tool get_weather returned 18C and sunny.", second.Content[0].Text);
        var sent = JsonNode.Parse(_cohere.Received.Last().Body)!["messages"]!.AsArray();
        Assert.Equal(call.Id, sent[^1]!["tool_call_id"]!.GetValue<string>());
        Assert.Equal(call.Id, sent[^2]!["tool_calls"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task CohereJsonMode_AnswerIsJson()
    {
        ChatCompletion completion = await Chat("command").CompleteChatAsync([new UserChatMessage("Answer in JSON")],
            new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat() });

        Assert.Equal("Hello from fake Cohere! You said: Answer in JSON", JsonNode.Parse(completion.Content[0].Text)!["answer"]!.GetValue<string>());
    }

    [Fact]
    public async Task CohereEmbeddings_ThroughSdk_VectorsInOpenAiShape()
    {
        OpenAIEmbeddingCollection embeddings = await GatewayClients.Embeddings(_gateway.BaseAddress, "cohere-embedding", MasterKey)
            .GenerateEmbeddingsAsync(["first text", "second text"]);

        Assert.Equal(2, embeddings.Count);
        Assert.Equal(FakeCohere.ExpectedEmbedding("first text"), embeddings[0].ToFloats().ToArray());
        Assert.Equal(FakeCohere.ExpectedEmbedding("second text"), embeddings[1].ToFloats().ToArray());
        Assert.Equal(4, embeddings.Usage.InputTokenCount);
        var received = Assert.Single(_cohere.Received);
        Assert.Equal("/v2/embed", received.Path);
        Assert.Equal("search_document", JsonNode.Parse(received.Body)!["input_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task CohereRateLimited_RetriedThenAnswered()
    {
        _cohere.FailWithStatus = 429;
        _cohere.FailRemaining = 1;

        ChatCompletion completion = await Chat("command").CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.StartsWith("Hello from fake Cohere!", completion.Content[0].Text, StringComparison.Ordinal);
        Assert.Equal(2, _cohere.Received.Count);
    }

    [Fact]
    public async Task CohereWrongKey_Is401AuthenticationErrorWithoutTheKey()
    {
        using var response = await _http.PostAsync("v1/chat/completions", new StringContent(
            """{"model":"cohere-wrong-key","messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = JsonNode.Parse(body)!["error"]!;
        Assert.Equal("authentication_error", error["type"]!.GetValue<string>());
        Assert.Contains("invalid api token", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("co-not-the-right-key", body, StringComparison.Ordinal);
        Assert.DoesNotContain(CohereKey, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BareCommandModel_MatchesCohereWildcardOnCohereApiBase()
    {
        ChatCompletion completion = await Chat("command-r-plus").CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.StartsWith("Hello from fake Cohere!", completion.Content[0].Text, StringComparison.Ordinal);
        var received = Assert.Single(_cohere.Received);
        Assert.Equal(("/v2/chat", "command-r-plus"), (received.Path, JsonNode.Parse(received.Body)!["model"]!.GetValue<string>()));
    }

    [Fact]
    public async Task CloudflareChat_ThroughSdk_RunApiAndBack()
    {
        ChatCompletion completion = await Chat("workers-llama").CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage(ChatMessageContentPart.CreateTextPart("How are"), ChatMessageContentPart.CreateTextPart(" you?"))]);

        Assert.Equal("Hello from fake Cloudflare! You said: How are you?", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.True(completion.Usage.TotalTokenCount > 0);
        var received = Assert.Single(_cloudflare.Received);
        Assert.Equal($"/client/v4/accounts/{_cloudflare.AccountId}/ai/run/{WorkersModel}", received.Path);
        Assert.Equal("Bearer " + CloudflareKey, received.Authorization);
        Assert.Equal("How are you?", JsonNode.Parse(received.Body)!["messages"]![1]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task CloudflareStream_FirstChunkReachesClientBeforeUpstreamFinishes()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _cloudflare.HoldStreamAfterFirstChunk = hold;

        var (text, finish, chunks) = await StreamAsync(Chat("workers-llama"), "Stream it", hold);

        Assert.Equal("Hello from fake Cloudflare! You said: Stream it", text);
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.True(chunks >= 3, $"{chunks} chunks");
    }

    [Fact]
    public async Task CloudflareToolCall_OlderShape_RoundTripsThroughSdk()
    {
        var client = Chat("workers-llama");
        List<ChatMessage> messages = [new UserChatMessage("Weather in Paris?")];

        ChatCompletion first = await client.CompleteChatAsync(messages, WeatherTool());
        var call = Assert.Single(first.ToolCalls);
        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, "18C"));
        ChatCompletion second = await client.CompleteChatAsync(messages, WeatherTool());

        Assert.Equal((ChatFinishReason.ToolCalls, "get_weather"), (first.FinishReason, call.FunctionName));
        Assert.Equal("The tool get_weather returned 18C.", second.Content[0].Text);
    }

    [Fact]
    public async Task CloudflareWithoutAccountId_Is500NamingTheVariable()
    {
        using var response = await _http.PostAsync("v1/chat/completions", new StringContent(
            """{"model":"workers-no-account","messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("CLOUDFLARE_ACCOUNT_ID", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("workers-no-account", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_cloudflare.Received);
    }
}
