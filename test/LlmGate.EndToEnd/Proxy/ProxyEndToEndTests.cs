using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.OpenAi;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using OpenAI.Chat;

namespace LlmGate.EndToEnd.Proxy;

public sealed class ProxyEndToEndTests : IAsyncLifetime
{
    private const string MasterKey = "sk-1234";
    private const string UpstreamKey = "sk-upstream-secret-0123456789";
    // A key that is neither the master key nor a virtual key (LiteLLM's not-found message, without the key it quotes).
    private const string NotFound = "Authentication Error, Invalid proxy server token passed. Unable to find token in cache or `LiteLLM_VerificationTokenTable`.";

    private const string WrongKey = "sk-wrong-Zq81TtX4mW0c"; // distinctive, so any echo of it is found
    private FakeUpstream _upstream = null!;
    private TestGateway _gateway = null!;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync(UpstreamKey);
        _gateway = await StartGatewayAsync(_upstream.ApiBase, services: CaptureLogs);
        _http.BaseAddress = _gateway.BaseAddress;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private static string Config(Uri upstream, string extraDeploymentParams = "") => $"""
        model_list:
          - model_name: gpt-4o
            litellm_params:
              model: openai/gpt-4o
              api_base: {upstream}
              api_key: os.environ/UPSTREAM_KEY{extraDeploymentParams}
          - model_name: "openai/*"
            litellm_params:
              model: "openai/*"
              api_base: {upstream}
              api_key: os.environ/UPSTREAM_KEY
          - model_name: text-embedding-3-small
            litellm_params:
              model: openai/text-embedding-3-small
              api_base: {upstream}
              api_key: os.environ/UPSTREAM_KEY
          - model_name: mock-model
            litellm_params:
              model: openai/gpt-4o-mini
              mock_response: "Hello from the mock"
        general_settings:
          master_key: os.environ/LITELLM_MASTER_KEY
        """;

    private static Task<TestGateway> StartGatewayAsync(Uri upstream, string extra = "", Action<IServiceCollection>? services = null) =>
        TestGateway.StartAsync(Config(upstream, extra), new Dictionary<string, string>
        {
            ["UPSTREAM_KEY"] = UpstreamKey,
            ["LITELLM_MASTER_KEY"] = MasterKey,
        }, services);

    [Fact]
    public async Task ChatCompletion_ThroughSdk_ReturnsUpstreamAnswerWithDeploymentKey()
    {
        ChatCompletion completion = await GatewayClients.Chat(_gateway.BaseAddress, "gpt-4o").CompleteChatAsync([new UserChatMessage("Say hello")]);

        Assert.Equal("Hello from the fake upstream.", completion.Content[0].Text);
        var received = Assert.Single(_upstream.Received);
        Assert.Equal("/v1/chat/completions", received.Path);
        Assert.Equal("Bearer " + UpstreamKey, received.Authorization);
        Assert.Equal("gpt-4o", JsonNode.Parse(received.Body)!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task ChatCompletion_BareModelName_MatchesOpenAiWildcardAndUpstreamGetsBareName()
    {
        await GatewayClients.Chat(_gateway.BaseAddress, "gpt-4.1-mini").CompleteChatAsync([new UserChatMessage("hi")]);
        await GatewayClients.Chat(_gateway.BaseAddress, "openai/gpt-4.1-nano").CompleteChatAsync([new UserChatMessage("hi")]);

        var models = _upstream.Received.Select(r => JsonNode.Parse(r.Body)!["model"]!.GetValue<string>()).ToArray();
        Assert.Equal(["gpt-4.1-mini", "gpt-4.1-nano"], models);
    }

    [Fact]
    public async Task StreamedChat_FirstChunkReachesClientBeforeUpstreamFinishes()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _upstream.HoldStreamAfterFirstChunk = hold;
        var text = new StringBuilder();
        var sawFirstWhileHeld = false;

        await foreach (var update in GatewayClients.Chat(_gateway.BaseAddress, "gpt-4o").CompleteChatStreamingAsync([new UserChatMessage("stream")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                if (text.Length == 0)
                {
                    // The upstream is still holding the rest of its answer: this chunk was not buffered.
                    sawFirstWhileHeld = !hold.Task.IsCompleted;
                    hold.TrySetResult();
                }

                text.Append(part.Text);
            }
        }

        Assert.True(sawFirstWhileHeld);
        Assert.Equal("word0 word1 word2 ", text.ToString());
    }

    [Fact]
    public async Task StreamedChat_RawSse_KeepsDoneMarker()
    {
        using var response = await PostAsync("/v1/chat/completions", """{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}]}""");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embeddings_ThroughSdk_ReturnsVector()
    {
        var embedding = await GatewayClients.Embeddings(_gateway.BaseAddress, "text-embedding-3-small").GenerateEmbeddingAsync("hello");

        Assert.Equal([0.1f, 0.2f, 0.3f], embedding.Value.ToFloats().ToArray());
        Assert.Equal("/v1/embeddings", _upstream.Received.Single().Path);
    }

    [Fact]
    public async Task Models_ThroughSdk_ListsConfiguredGroupsIncludingWildcards()
    {
        var models = await GatewayClients.Models(_gateway.BaseAddress).GetModelsAsync();

        Assert.Equal(["gpt-4o", "openai/*", "text-embedding-3-small", "mock-model"], models.Value.Select(m => m.Id).ToArray());
    }

    [Theory]
    [InlineData("gpt-4o")]
    [InlineData("gpt-4.1-mini")] // a model of the openai/* group
    [InlineData("openai/gpt-4.1-mini")]
    public async Task RetrieveModel_ThroughSdk_AnyNameACallCouldUse(string model)
    {
        var retrieved = await GatewayClients.Models(_gateway.BaseAddress).GetModelAsync(model);

        Assert.Equal(model, retrieved.Value.Id);
        Assert.Equal("openai", retrieved.Value.OwnedBy);
    }

    [Fact]
    public async Task RetrieveModel_Unknown_ThroughSdk_Is404NamingIt()
    {
        var exception = await Assert.ThrowsAsync<ClientResultException>(() => GatewayClients.Models(_gateway.BaseAddress).GetModelAsync("no-such-model"));

        Assert.Equal(404, exception.Status);
        Assert.Contains("The model `no-such-model` does not exist or you do not have access to it.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeedBadRequest_ProviderRejects_PassedBackAsUpstream400()
    {
        using var response = await PostAsync("/chat/completions", """
            {"model": "gpt-4o", "user": "hi", "messages": [{"role": "user", "bad_param": "i like coffee"}]}
            """);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Missing required parameter: 'messages[0].content'.", error["message"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Equal("messages[0].content", error["param"]!.GetValue<string>());
        Assert.Equal("400", error["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownModel_ThroughSdk_Is400WithLiteLlmMessage()
    {
        var exception = await Assert.ThrowsAsync<ClientResultException>(() =>
            GatewayClients.Chat(_gateway.BaseAddress, "no-such-model").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(400, exception.Status);
        Assert.Contains("Invalid model name passed in model=no-such-model", exception.Message, StringComparison.Ordinal);
        Assert.Empty(_upstream.Received);
    }

    [Theory]
    [InlineData(null, null, "Authentication Error, No api key passed in.", "auth_error")]
    [InlineData("Authorization", "Bearer " + WrongKey, NotFound, "token_not_found_in_db")]
    [InlineData("x-api-key", WrongKey, NotFound, "token_not_found_in_db")]
    [InlineData("api-key", WrongKey, NotFound, "token_not_found_in_db")]
    [InlineData("Authorization", WrongKey, "Authentication Error, Malformed API Key passed in. Ensure Key has `Bearer ` prefix.", "auth_error")]
    [InlineData("Authorization", MasterKey, "Authentication Error, Malformed API Key passed in. Ensure Key has `Bearer ` prefix.", "auth_error")]
    public async Task MasterKey_MissingWrongOrMalformed_Is401WithoutEchoingKey(string? header, string? value, string expected, string expectedType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }

        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = JsonNode.Parse(body)!["error"]!;
        Assert.Equal(expected, error["message"]!.GetValue<string>());
        Assert.Equal((expectedType, "401"), (error["type"]!.GetValue<string>(), error["code"]!.GetValue<string>()));
        Assert.Empty(_upstream.Received);

        // The logs are captured (this request's own start is there), and neither they, the body nor a header hold the key.
        var logs = _gateway.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(logs, r => r.Message.Contains("POST", StringComparison.Ordinal) && r.Message.Contains("/v1/chat/completions", StringComparison.Ordinal));
        var presented = value?.Replace("Bearer ", "", StringComparison.Ordinal);
        if (presented is not null)
        {
            Assert.DoesNotContain(presented, body, StringComparison.Ordinal);
            Assert.All(response.Headers.Concat(response.Content.Headers), h => Assert.DoesNotContain(h.Value, v => v.Contains(presented, StringComparison.Ordinal)));
            Assert.All(logs, r => Assert.DoesNotContain(presented, r.Message + r.Exception + string.Join(' ', r.StructuredState ?? []), StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task MasterKey_RightKeyAsXApiKeyOrThroughSdk_IsServed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", MasterKey);
        using var response = await _http.SendAsync(request);
        var wrongSdkKey = await Assert.ThrowsAsync<ClientResultException>(() =>
            GatewayClients.Chat(_gateway.BaseAddress, "gpt-4o", key: "sk-not-it").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(401, wrongSdkKey.Status);
    }

    [Fact]
    public async Task DeploymentKey_MissingOrWrong_UpstreamsOwn401PassedBackWithoutAnyPartOfTheKey()
    {
        // An openai deployment with its own api_base may go without a key (local servers need none); this upstream needs one.
        const string wrongDeploymentKey = "sk-deployment-wrong-4Rb8Kd1Lq6Ys";
        await using var gateway = await TestGateway.StartAsync($$"""
            model_list:
              - model_name: no-key
                litellm_params: {model: openai/gpt-4o, api_base: "{{_upstream.ApiBase}}"}
              - model_name: wrong-key
                litellm_params: {model: openai/gpt-4o, api_base: "{{_upstream.ApiBase}}", api_key: os.environ/WRONG_KEY}
            general_settings:
              master_key: {{MasterKey}}
            """, new Dictionary<string, string> { ["WRONG_KEY"] = wrongDeploymentKey });
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);

        var noKey = await Assert.ThrowsAsync<ClientResultException>(() =>
            GatewayClients.Chat(gateway.BaseAddress, "no-key").CompleteChatAsync([new UserChatMessage("hi")]));
        using var wrongKey = await http.PostAsync("/v1/chat/completions",
            new StringContent("""{"model":"wrong-key","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        var wrongKeyBody = await wrongKey.Content.ReadAsStringAsync();

        Assert.Equal(401, noKey.Status);
        Assert.Contains("You didn't provide an API key.", noKey.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.StartsWith("Incorrect API key provided: ", JsonNode.Parse(wrongKeyBody)!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        // OpenAI echoes the key masked (its first 8 and last 4 characters): the gateway's credential, redacted whole.
        Assert.DoesNotContain(wrongDeploymentKey[..8], wrongKeyBody, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongDeploymentKey[^4..], wrongKeyBody, StringComparison.Ordinal);
        Assert.Contains("sk-[redacted]", wrongKeyBody, StringComparison.Ordinal);
        Assert.Equal(["", "Bearer " + wrongDeploymentKey], _upstream.Received.Select(r => r.Authorization).ToArray());
    }

    [Fact]
    public async Task Health_WithoutKey_IsAnswered()
    {
        using var live = await _http.GetAsync("/health/liveliness");
        using var ready = await _http.GetAsync("/health/readiness");

        Assert.Equal("\"I'm alive!\"", await live.Content.ReadAsStringAsync());
        Assert.Equal("healthy", JsonNode.Parse(await ready.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpstreamDown_Is502ConnectionError()
    {
        var closedPort = new Uri("http://127.0.0.1:" + LoopbackPorts.Free() + "/v1");
        await using var gateway = await StartGatewayAsync(closedPort);

        var exception = await Assert.ThrowsAsync<ClientResultException>(() =>
            GatewayClients.Chat(gateway.BaseAddress, "gpt-4o").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(502, exception.Status);
        Assert.Contains("APIConnectionError", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(UpstreamKey, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpstreamTimeout_DeploymentTimeoutPasses_Is408()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _upstream.Hang = true;
        await using var gateway = await StartGatewayAsync(_upstream.ApiBase, "\n      timeout: 30\n      num_retries: 0",
            services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time)));
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);

        var call = http.PostAsync("/v1/chat/completions", new StringContent("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        await _upstream.RequestArrived.WaitAsync(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(30));
        using var response = await call.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
        Assert.Contains("did not answer within 30 s", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await _upstream.RequestCancelled.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ClientDisconnectsMidStream_UpstreamRequestIsCancelled()
    {
        _upstream.HoldStreamAfterFirstChunk = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in GatewayClients.Chat(_gateway.BaseAddress, "gpt-4o")
                .CompleteChatStreamingAsync([new UserChatMessage("stream")], cancellationToken: cancel.Token))
            {
                // The first chunk is here; the upstream holds the rest. The client gives up.
                await cancel.CancelAsync();
            }
        });

        await _upstream.RequestCancelled.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task MockResponse_InConfig_AnswersWithoutUpstreamStreamedOrNot()
    {
        var client = GatewayClients.Chat(_gateway.BaseAddress, "mock-model");
        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("hi")]);
        var streamed = new StringBuilder();
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("hi")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                streamed.Append(part.Text);
            }
        }

        Assert.Equal("Hello from the mock", completion.Content[0].Text);
        Assert.Equal("Hello from the mock", streamed.ToString());
        Assert.Empty(_upstream.Received);
    }

    [Fact]
    public async Task RequestBody_ClientSuppliedApiBaseAndKey_AreIgnoredAndNotForwarded()
    {
        using var response = await PostAsync("/v1/chat/completions",
            """{"api_base":"http://169.254.169.254/latest","model":"gpt-4o","api_key":"sk-client","messages":[{"role":"user","content":"hi"}],"temperature":0.5,"x_custom":{"a":[1,2]}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var forwarded = JsonNode.Parse(_upstream.Received.Single().Body)!.AsObject();
        Assert.Equal(["model", "messages", "temperature", "x_custom"], forwarded.Select(p => p.Key).ToArray());
        Assert.Equal("Bearer " + UpstreamKey, _upstream.Received.Single().Authorization);
    }

    [Theory]
    [InlineData("{\"model\": \"gpt-4o\", \"messages\": [", 400, "not valid JSON")]
    [InlineData("{\"messages\": [{\"role\":\"user\",\"content\":\"hi\"}]}", 400, "Missing required parameter: 'model'")]
    [InlineData("{\"model\": \"gpt-4o\"}", 400, "Missing required parameter: 'messages'")]
    [InlineData("{\"model\": \"gpt-4o\", \"messages\": []}", 400, "'messages' must not be empty")]
    [InlineData("[1, 2]", 400, "must be a JSON object")]
    public async Task BadInput_GetsOpenAiErrorWithStatus(string body, int status, string message)
    {
        using var response = await PostAsync("/v1/chat/completions", body);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(message, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error["code"]!.GetValue<string>());
        Assert.Empty(_upstream.Received);
    }

    [Fact]
    public async Task WrongContentType_Is415()
    {
        using var content = new StringContent("model=gpt-4o", Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await SendAsync(HttpMethod.Post, "/v1/chat/completions", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("Content-Type must be application/json", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsupportedMethod_Is405WithErrorBody()
    {
        using var response = await SendAsync(HttpMethod.Get, "/v1/chat/completions", null);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("405", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
    }

    // 20 MB is more than loopback's socket buffers hold: the client is still uploading when the 413 is written, and
    // reads it only if the gateway drains the rest rather than closing on it (which the client sees as a broken pipe).
    [Theory]
    [InlineData(4_000, true)]
    [InlineData(20_000_000, true)]
    [InlineData(20_000_000, false)]
    public async Task BodyOverLimit_Is413_ReadByTheClientStillUploading(int size, bool declaresLength)
    {
        await using var gateway = await TestGateway.StartAsync($$"""
            model_list:
              - model_name: gpt-4o
                litellm_params: {model: openai/gpt-4o, api_base: "{{_upstream.ApiBase}}", api_key: x}
            general_settings:
              max_request_size_mb: 0.001
            """);
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        var big = new string('a', size);
        var json = new StringContent($$"""{"model":"gpt-4o","messages":[{"role":"user","content":"{{big}}"}]}""", Encoding.UTF8, "application/json");
        var content = declaresLength ? json : await ChunkedContent.OfAsync(json);
        using var response = await http.PostAsync("/v1/chat/completions", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("max_request_size_mb", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_upstream.Received);
    }

    // Every level of every category, whatever the gateway's own filters, so a key logged anywhere would be seen.
    private static void CaptureLogs(IServiceCollection services) =>
        services.AddLogging(logging => logging.AddFakeLogging().AddFilter<FakeLoggerProvider>(null, LogLevel.Trace));

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        SendAsync(HttpMethod.Post, path, new StringContent(json, Encoding.UTF8, "application/json"));

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
        return _http.SendAsync(request);
    }
}
