using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Calls;
using LlmGate.EndToEnd.Calls;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace LlmGate.EndToEnd.Providers;

/// <summary>
/// Gemini (Google AI Studio) and Vertex AI (Gemini, Claude, embeddings) behind the gateway: strict fakes of Google's
/// APIs and of its OAuth token endpoint (which checks the service account's signed JWT), the official OpenAI SDK as the
/// client. Each test gets fresh fakes and a fresh gateway.
/// </summary>
public sealed class GoogleProvidersEndToEndTests : IAsyncLifetime
{
    private const string MasterKey = "sk-1234";
    private const string GeminiKey = "AIzaSy-secret-gemini-key-0123456789";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "llmgate-google-" + Guid.NewGuid().ToString("N"));
    private readonly RecordingCallObserver _observer = new();
    private FakeGoogleTokenServer _tokens = null!;
    private FakeGemini _studio = null!;
    private FakeGemini _vertex = null!;
    private FakeUpstream _backup = null!;
    private TestServiceAccount _account = null!;
    private string _credentialsPath = null!;
    private TestGateway _gateway = null!;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _tokens = await FakeGoogleTokenServer.StartAsync();
        _studio = await FakeGemini.StartAiStudioAsync(GeminiKey);
        _vertex = await FakeGemini.StartVertexAsync(_tokens);
        _backup = await FakeUpstream.StartAsync();
        _account = _tokens.CreateServiceAccount();
        _credentialsPath = Path.Combine(_directory, "service-account.json");
        _account.WriteTo(_credentialsPath);
        _gateway = await StartGatewayAsync(_tokens, _vertex);
        _http.BaseAddress = _gateway.BaseAddress;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _backup.DisposeAsync();
        await _vertex.DisposeAsync();
        await _studio.DisposeAsync();
        await _tokens.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private string Yaml(FakeGemini vertex) => $"""
        model_list:
          - model_name: gemini-flash
            litellm_params:
              model: gemini/gemini-2.5-flash
              api_base: {_studio.ApiBaseFor("gemini-2.5-flash")}
              api_key: os.environ/GEMINI_API_KEY
          - model_name: "gemini/*"
            litellm_params:
              model: "gemini/*"
          - model_name: gemini-wrong-key
            litellm_params:
              model: gemini/gemini-2.5-flash
              api_base: {_studio.ApiBaseFor("gemini-2.5-flash")}
              api_key: AIzaSy-not-the-right-key
          - model_name: gemini-embedding
            litellm_params:
              model: gemini/text-embedding-004
              api_base: {_studio.ApiBaseFor("text-embedding-004")}
          - model_name: vertex-gemini
            litellm_params:
              model: vertex_ai/gemini-2.5-pro
              api_base: {vertex.ApiBaseFor("gemini-2.5-pro")}
              vertex_project: {vertex.Project}
              vertex_location: {vertex.Location}
              vertex_credentials: {_credentialsPath}
          - model_name: vertex-claude
            litellm_params:
              model: vertex_ai/claude-sonnet-4-5
              api_base: {vertex.AnthropicApiBaseFor("claude-sonnet-4-5")}
              vertex_credentials: os.environ/VERTEX_SA_JSON
          - model_name: vertex-embedding
            litellm_params:
              model: vertex_ai/text-embedding-005
              api_base: {vertex.ApiBaseFor("text-embedding-005")}
              vertex_credentials: {_credentialsPath}
          - model_name: backup
            litellm_params:
              model: openai/gpt-4o-mini
              api_base: {_backup.ApiBase}
              api_key: {_backup.ApiKey}
        litellm_settings:
          num_retries: 2
          content_policy_fallbacks:
            - gemini-flash: [backup]
        general_settings:
          master_key: {MasterKey}
        """;

    private Task<TestGateway> StartGatewayAsync(FakeGoogleTokenServer tokens, FakeGemini vertex, Action<IServiceCollection>? configure = null) =>
        TestGateway.StartAsync(Yaml(vertex), new Dictionary<string, string>
        {
            ["GEMINI_API_KEY"] = GeminiKey,
            ["GEMINI_API_BASE"] = _studio.Root.ToString(),
            ["VERTEX_SA_JSON"] = _account.ToJson(),
        }, services =>
        {
            services.AddSingleton<ICallObserver>(_observer);
            configure?.Invoke(services);
        });

    private ChatClient Chat(string model) => GatewayClients.Chat(_gateway.BaseAddress, model, MasterKey);

    private static ChatCompletionOptions WeatherTool() => new()
    {
        Tools =
        {
            ChatTool.CreateFunctionTool("get_weather", "Current weather of a city",
                BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}""")),
        },
    };

    [Theory]
    [InlineData("gemini-flash", "/v1beta/models/gemini-2.5-flash:generateContent")]
    [InlineData("vertex-gemini", "/v1/projects/fake-project/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent")]
    public async Task Chat_ThroughSdk_TranslatedToGenerateContentAndBack(string model, string path)
    {
        ChatCompletion completion = await Chat(model).CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("Hi"), new AssistantChatMessage("Hello!"), new UserChatMessage("How are you?")]);

        Assert.Equal("Hello from fake Gemini! You said: How are you?", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.True(completion.Usage.InputTokenCount > 0 && completion.Usage.OutputTokenCount > 0);
        var fake = model == "gemini-flash" ? _studio : _vertex;
        var received = Assert.Single(fake.Received);
        Assert.Equal(path, received.Path);
        var body = JsonNode.Parse(received.Body)!;
        Assert.Equal("Be brief.", body["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(["user", "model", "user"], body["contents"]!.AsArray().Select(c => c!["role"]!.GetValue<string>()));
        Assert.Null(body["model"]);
    }

    [Fact]
    public async Task Gemini_Key_SentAsHeaderNeverInTheUrl()
    {
        await Chat("gemini-flash").CompleteChatAsync([new UserChatMessage("Hi")]);

        var received = Assert.Single(_studio.Received);
        Assert.Equal(GeminiKey, received.Headers["x-goog-api-key"]);
        Assert.False(_studio.KeySentInUrl);
        Assert.DoesNotContain("key=", received.Path, StringComparison.Ordinal);
        Assert.Equal("", received.Authorization);
    }

    [Fact]
    public async Task Vertex_ServiceAccountToken_ObtainedOnceAndSentAsBearer()
    {
        await Chat("vertex-gemini").CompleteChatAsync([new UserChatMessage("Hi")]);
        await Chat("vertex-gemini").CompleteChatAsync([new UserChatMessage("Again")]);

        Assert.Equal(1, _tokens.TokensIssued);
        var received = _vertex.Received.ToArray();
        Assert.Equal(2, received.Length);
        Assert.All(received, r => Assert.True(_tokens.IsValid(r.Authorization["Bearer ".Length..])));
        Assert.All(received, r => Assert.StartsWith("Bearer ya29.", r.Authorization, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("gemini-flash")]
    [InlineData("vertex-gemini")]
    public async Task StreamedChat_FirstChunkReachesClientBeforeUpstreamFinishes(string model)
    {
        var fake = model == "gemini-flash" ? _studio : _vertex;
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fake.HoldStreamAfterFirstChunk = hold;
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        var chunks = 0;

        await foreach (var update in Chat(model).CompleteChatStreamingAsync([new UserChatMessage("Stream it")]))
        {
            if (chunks++ == 0)
            {
                // The fake holds the rest of its stream until the client has seen the first chunk.
                hold.SetResult();
            }

            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
            finish ??= update.FinishReason;
        }

        Assert.Equal("Hello from fake Gemini! You said: Stream it", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.True(chunks >= 3, $"{chunks} chunks");
        Assert.EndsWith(":streamGenerateContent?alt=sse", Assert.Single(fake.Received).Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamedChat_RawSse_OpenAiChunksUsageAndDone()
    {
        using var response = await _http.PostAsync("v1/chat/completions", new StringContent(
            """{"model":"gemini-flash","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hi"}]}""",
            Encoding.UTF8, "application/json"));
        var sse = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]).ToArray();
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonNode.Parse(e)!).ToArray();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c["object"]!.GetValue<string>()));
        Assert.Equal("stop", chunks.Select(c => c["choices"]!.AsArray().FirstOrDefault()?["finish_reason"]).OfType<JsonNode>().Single().GetValue<string>());
        var usage = chunks[^1]["usage"]!;
        Assert.Empty(chunks[^1]["choices"]!.AsArray());
        Assert.True(usage["total_tokens"]!.GetValue<int>() > 0);
    }

    [Theory]
    [InlineData("gemini-flash")]
    [InlineData("vertex-gemini")]
    public async Task ToolCall_RoundTripsThroughSdk_ResultArrivesAsFunctionResponse(string model)
    {
        var client = Chat(model);
        List<ChatMessage> messages = [new UserChatMessage("Weather in Paris?")];

        ChatCompletion first = await client.CompleteChatAsync(messages, WeatherTool());

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("Paris", JsonNode.Parse(call.FunctionArguments.ToString())!["city"]!.GetValue<string>());
        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, "18C and sunny"));

        ChatCompletion second = await client.CompleteChatAsync(messages, WeatherTool());

        Assert.Equal(ChatFinishReason.Stop, second.FinishReason);
        Assert.Contains("18C and sunny", second.Content[0].Text, StringComparison.Ordinal);
        var fake = model == "gemini-flash" ? _studio : _vertex;
        var declared = JsonNode.Parse(fake.Received.First().Body)!["tools"]![0]!["functionDeclarations"]![0]!;
        Assert.Equal("get_weather", declared["name"]!.GetValue<string>());
        Assert.Null(declared["parameters"]!["additionalProperties"]);
    }

    [Theory]
    [InlineData("gemini-flash")]
    [InlineData("vertex-gemini")]
    public async Task ImagePart_DataUrl_ArrivesAsInlineData(string model)
    {
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

        ChatCompletion completion = await Chat(model).CompleteChatAsync(
            [new UserChatMessage(ChatMessageContentPart.CreateTextPart("What is this?"), ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(png), "image/png"))]);

        Assert.Contains("I received image/png", completion.Content[0].Text, StringComparison.Ordinal);
        var fake = model == "gemini-flash" ? _studio : _vertex;
        var part = JsonNode.Parse(Assert.Single(fake.Received).Body)!["contents"]![0]!["parts"]![1]!["inlineData"]!;
        Assert.Equal(Convert.ToBase64String(png), part["data"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("gemini-flash")]
    [InlineData("vertex-gemini")]
    public async Task JsonMode_AnswerIsJson(string model)
    {
        ChatCompletion completion = await Chat(model).CompleteChatAsync([new UserChatMessage("Answer in JSON")],
            new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat() });

        Assert.Equal("Hello from fake Gemini! You said: Answer in JSON", JsonNode.Parse(completion.Content[0].Text)!["answer"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("gemini-embedding", ":batchEmbedContents")]
    [InlineData("vertex-embedding", ":predict")]
    public async Task Embeddings_ThroughSdk_VectorsInOpenAiShape(string model, string method)
    {
        OpenAIEmbeddingCollection embeddings = await GatewayClients.Embeddings(_gateway.BaseAddress, model, MasterKey)
            .GenerateEmbeddingsAsync(["first text", "second text"]);

        Assert.Equal(2, embeddings.Count);
        Assert.Equal(FakeGemini.ExpectedEmbedding("first text"), embeddings[0].ToFloats().ToArray());
        Assert.Equal(FakeGemini.ExpectedEmbedding("second text"), embeddings[1].ToFloats().ToArray());
        var fake = model == "gemini-embedding" ? _studio : _vertex;
        Assert.EndsWith(method, Assert.Single(fake.Received).Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embeddings_Dimensions_BecomeOutputDimensionality()
    {
        OpenAIEmbedding embedding = await GatewayClients.Embeddings(_gateway.BaseAddress, "vertex-embedding", MasterKey)
            .GenerateEmbeddingAsync("short", new EmbeddingGenerationOptions { Dimensions = 4 });

        Assert.Equal(FakeGemini.ExpectedEmbedding("short", 4), embedding.ToFloats().ToArray());
    }

    [Fact]
    public async Task VertexClaude_Chat_RawPredictWithVertexVersionAndNoModel()
    {
        ChatCompletion completion = await Chat("vertex-claude").CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Hi")]);

        Assert.Equal("Hello from the fake Anthropic.", completion.Content[0].Text);
        var received = Assert.Single(_vertex.Received);
        Assert.EndsWith("/publishers/anthropic/models/claude-sonnet-4-5:rawPredict", received.Path, StringComparison.Ordinal);
        var body = JsonNode.Parse(received.Body)!;
        Assert.Equal("vertex-2023-10-16", body["anthropic_version"]!.GetValue<string>());
        Assert.Null(body["model"]);
        Assert.StartsWith("Bearer ya29.", received.Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VertexClaude_StreamedChat_StreamRawPredictTranslated()
    {
        var text = new StringBuilder();
        ChatFinishReason? finish = null;

        await foreach (var update in Chat("vertex-claude").CompleteChatStreamingAsync([new UserChatMessage("Hi")]))
        {
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
            finish ??= update.FinishReason;
        }

        Assert.Equal("Hello from the fake Anthropic.", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.EndsWith(":streamRawPredict", Assert.Single(_vertex.Received).Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BareGeminiName_MatchesGeminiWildcardOnGeminiApiBase()
    {
        ChatCompletion completion = await Chat("gemini-2.0-flash").CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.StartsWith("Hello from fake Gemini!", completion.Content[0].Text, StringComparison.Ordinal);
        Assert.Equal("/v1beta/models/gemini-2.0-flash:generateContent", Assert.Single(_studio.Received).Path);
    }

    [Fact]
    public async Task WrongKey_Is401AuthenticationErrorWithoutTheKey()
    {
        using var response = await _http.PostAsync("v1/chat/completions", new StringContent(
            """{"model":"gemini-wrong-key","messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = JsonNode.Parse(body)!["error"]!;
        Assert.Equal("authentication_error", error["type"]!.GetValue<string>());
        Assert.Contains("API key not valid", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("AIzaSy", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task TransientGoogleError_RetriedThenAnswered(int status)
    {
        _studio.FailWithStatus = status;
        _studio.FailRemaining = 1;

        ChatCompletion completion = await Chat("gemini-flash").CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.StartsWith("Hello from fake Gemini!", completion.Content[0].Text, StringComparison.Ordinal);
        Assert.Equal(2, _studio.Received.Count);
    }

    [Fact]
    public async Task RateLimited_EveryAttempt_Is429WithGoogleRetryDelayAsRetryAfter()
    {
        _vertex.FailWithStatus = 429;
        _vertex.RetryDelay = "0.2s";

        using var response = await _http.PostAsync("v1/chat/completions", new StringContent(
            """{"model":"vertex-gemini","messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("rate_limit_error", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["type"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal(3, _vertex.Received.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SafetyBlock_FallsBackThroughContentPolicyFallbacks(bool stream)
    {
        _studio.BlockPrompt = true;
        var request = $$"""{"model":"gemini-flash","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"something blocked"}]}""";

        using var response = await _http.PostAsync("v1/chat/completions", new StringContent(request, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The fake upstream streams "word0 word1 word2 " and answers plain calls with one sentence.
        Assert.Equal(stream ? "word0 word1 word2 " : "Hello from the fake upstream.",
            stream ? StreamedText(body) : JsonNode.Parse(body)!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Single(_studio.Received);
        Assert.Single(_backup.Received);
        Assert.Equal("1", response.Headers.GetValues("x-litellm-attempted-fallbacks").Single());
    }

    private static string StreamedText(string sse) => string.Concat(sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
        .Select(e => e["data: ".Length..])
        .Where(data => data != "[DONE]")
        .Select(data => JsonNode.Parse(data)!["choices"]!.AsArray().FirstOrDefault()?["delta"]?["content"]?.GetValue<string>()));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SafetyBlock_WithoutFallback_ServedAsContentFilter(bool safetyFinish)
    {
        _vertex.BlockPrompt = !safetyFinish;
        _vertex.SafetyFinish = safetyFinish;

        ChatCompletion completion = await Chat("vertex-gemini").CompleteChatAsync([new UserChatMessage("something blocked")]);

        Assert.Equal(ChatFinishReason.ContentFilter, completion.FinishReason);
        Assert.Empty(completion.Content);
        Assert.Single(_vertex.Received);
        await _observer.FirstEnded;
        Assert.Equal(CallOutcome.Completed, Assert.Single(_observer.Ended).Outcome);
    }

    [Fact]
    public async Task RefusedToken_Is401NamingTheAccountAndCountsAsFailedCall()
    {
        _tokens.Refuse = true;

        using var response = await _http.PostAsync("v1/chat/completions", new StringContent(
            """{"model":"vertex-gemini","messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = JsonNode.Parse(body)!["error"]!;
        Assert.Equal("authentication_error", error["type"]!.GetValue<string>());
        Assert.Contains(_account.ClientEmail, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("invalid_grant", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", body, StringComparison.Ordinal);
        Assert.Empty(_vertex.Received);
        await _observer.FirstEnded;
        var call = Assert.Single(_observer.Ended);
        Assert.Equal(CallOutcome.Failed, call.Outcome);
        Assert.Equal(401, call.Failure!.Status);
    }

    [Fact]
    public async Task ExpiredToken_RefreshedOnceForManyCallsInFlight()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        await using var tokens = await FakeGoogleTokenServer.StartAsync(time);
        await using var vertex = await FakeGemini.StartVertexAsync(tokens);
        var account = tokens.CreateServiceAccount();
        account.WriteTo(_credentialsPath);
        await using var gateway = await StartGatewayAsync(tokens, vertex, services => services.AddSingleton<TimeProvider>(time));
        var client = GatewayClients.Chat(gateway.BaseAddress, "vertex-gemini", MasterKey);
        await client.CompleteChatAsync([new UserChatMessage("first")]);
        Assert.Equal(1, tokens.TokensIssued);

        time.Advance(TimeSpan.FromSeconds(tokens.ExpiresInSeconds + 1));
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tokens.HoldTokenRequests = hold;
        var calls = Enumerable.Range(0, 5).Select(i => client.CompleteChatAsync([new UserChatMessage($"call {i}")])).ToArray();
        await tokens.WaitForRequestsAsync(2);
        hold.SetResult();
        var answers = await Task.WhenAll(calls);

        Assert.All(answers, a => Assert.StartsWith("Hello from fake Gemini!", a.Value.Content[0].Text, StringComparison.Ordinal));
        Assert.Equal(2, tokens.TokensIssued);
        Assert.Equal(2, tokens.Received.Count);
        Assert.Equal(6, vertex.Received.Count);
    }

    [Fact]
    public async Task BrokenCredentialsFile_StopsTheStartNamingDeploymentAndProblem()
    {
        await File.WriteAllTextAsync(_credentialsPath, "{\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nsecret");

        var error = await Assert.ThrowsAsync<global::LlmGate.Hosting.GatewayStartException>(() => StartGatewayAsync(_tokens, _vertex));

        Assert.Contains(error.Problems, p => p.Contains("model_list entry 'vertex-gemini' (vertex_ai/gemini-2.5-pro)", StringComparison.Ordinal)
            && p.Contains("is not valid JSON", StringComparison.Ordinal) && p.Contains(_credentialsPath, StringComparison.Ordinal));
        Assert.DoesNotContain("secret", string.Join("\n", error.Problems), StringComparison.Ordinal);
    }
}
