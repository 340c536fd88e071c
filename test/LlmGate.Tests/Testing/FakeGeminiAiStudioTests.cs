using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Testing;

namespace LlmGate.Tests.Testing;

/// <summary>The fake Gemini (AI Studio) takes the key as Google does, refuses what Google refuses in Google's envelope, and answers in Google's format.</summary>
public sealed class FakeGeminiAiStudioTests : IAsyncLifetime
{
    private const string Key = "AIzaSyFake-0123456789abcdefghijklmnopq";
    private const string Model = "gemini-2.5-flash";
    private const string Hello = """{"contents":[{"role":"user","parts":[{"text":"Hi there"}]}]}""";
    private readonly HttpClient _http = new();
    private FakeGemini _gemini = null!;

    public async Task InitializeAsync() => _gemini = await FakeGemini.StartAiStudioAsync(Key);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gemini.DisposeAsync();
    }

    [Fact]
    public async Task GenerateContent_KeyInHeader_AnswersInGooglesFormat()
    {
        var (status, body) = await PostAsync("generateContent", Hello);

        Assert.Equal(HttpStatusCode.OK, status);
        var candidate = body["candidates"]![0]!;
        Assert.Equal("Hello from fake Gemini! You said: Hi there", candidate["content"]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(("model", "STOP"), (candidate["content"]!["role"]!.GetValue<string>(), candidate["finishReason"]!.GetValue<string>()));
        Assert.Equal(Model, body["modelVersion"]!.GetValue<string>());
        Assert.NotNull(body["responseId"]);
        var usage = body["usageMetadata"]!;
        Assert.Equal(usage["promptTokenCount"]!.GetValue<int>() + usage["candidatesTokenCount"]!.GetValue<int>(), usage["totalTokenCount"]!.GetValue<int>());
        Assert.Equal($"/v1beta/models/{Model}:generateContent", Assert.Single(_gemini.Received).Path);
        Assert.False(_gemini.KeySentInUrl);
    }

    [Fact]
    public async Task GenerateContent_WrongKey_Is400ApiKeyInvalidAsGoogleAnswers()
    {
        var (status, body) = await PostAsync("generateContent", Hello, key: "AIzaSy-wrong");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT",
             "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com"}]}}
            """), body), body.ToJsonString());
    }

    [Fact]
    public async Task GenerateContent_NoKey_Is403UnregisteredCaller()
    {
        var (status, body) = await PostAsync("generateContent", Hello, key: null);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("PERMISSION_DENIED", body["error"]!["status"]!.GetValue<string>());
        Assert.StartsWith("Method doesn't allow unregistered callers", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateContent_KeyAsBearer_Is401AsAnOAuthTokenGoogleDidNotIssue()
    {
        var (status, body) = await PostAsync("generateContent", Hello, key: null, authorization: "Bearer " + Key);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("UNAUTHENTICATED", body["error"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task GenerateContent_KeyInQuery_IsAcceptedAndNoted()
    {
        var (status, _) = await PostAsync("generateContent?key=" + Key, Hello, key: null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(_gemini.KeySentInUrl);
    }

    [Theory]
    [InlineData("""{"model":"gemini-2.5-flash","contents":[{"role":"user","parts":[{"text":"hi"}]}]}""", "Unknown name \"model\"")]
    [InlineData("""{"contents":[{"role":"assistant","parts":[{"text":"hi"}]}]}""", "Please use a valid role: user, model.")]
    [InlineData("""{"contents":[{"parts":[{"text":"hi"}]}]}""", "Please use a valid role: user, model.")]
    [InlineData("""{"contents":[{"role":"user","parts":[{"text":"hi","inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}}]}]}""", "Oneof field 'data' is already set")]
    [InlineData("""{"contents":[{"role":"user","parts":[{}]}]}""", "required oneof field 'data'")]
    [InlineData("""{"contents":[]}""", "contents is not specified")]
    [InlineData("""{"contents":[{"role":"user","parts":[{"inline_data":{"mime_type":"image/png","data":"***"}}]}]}""", "Base64 decoding failed")]
    [InlineData("""{"contents":[{"role":"user","parts":[{"file_data":{"file_uri":"gs://b/cat.png"}}]}]}""", "file_data.mime_type")]
    [InlineData("""{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"generationConfig":{"maxTokens":5}}""", "Unknown name \"maxTokens\" at 'generation_config'")]
    [InlineData("""{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"generationConfig":{"temperature":"hot"}}""", "Invalid value at 'generation_config.temperature' (TYPE_FLOAT)")]
    [InlineData("""{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"tools":[{"functionDeclarations":[{"name":"f","parameters":{"type":"object","properties":{},"additionalProperties":false}}]}]}""", "Unknown name \"additionalProperties\"")]
    [InlineData("""{"contents":[{"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"c":"18C"}}}]}]}""", "function response turn comes immediately after a function call turn")]
    [InlineData("""{"contents":[{"role":"user","parts":[{"text":"hi"}]},{"role":"model","parts":[{"functionCall":{"name":"a","args":{}}}]},{"role":"user","parts":[{"functionResponse":{"name":"b","response":{}}}]}]}""", "answers no function call")]
    [InlineData("""{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"generationConfig":{},"generation_config":{}}""", "Field \"generation_config\" is given twice")]
    [InlineData("not json", "Invalid JSON payload received.")]
    [InlineData("[1]", "Invalid JSON payload received. Root element must be a message.")]
    public async Task GenerateContent_RequestGoogleRefuses_Is400InvalidArgumentNamingTheProblem(string json, string message)
    {
        var (status, body) = await PostAsync("generateContent", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal((400, "INVALID_ARGUMENT"), (body["error"]!["code"]!.GetValue<int>(), body["error"]!["status"]!.GetValue<string>()));
        Assert.Contains(message, body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"systemInstruction":{"parts":[{"text":"Be terse."}]},"contents":[{"role":"user","parts":[{"text":"What is this?"},{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}}]}],"generationConfig":{"maxOutputTokens":50,"stopSequences":["END"],"topP":0.9}}""")]
    [InlineData("""{"system_instruction":{"parts":[{"text":"Be terse."}]},"contents":[{"role":"user","parts":[{"text":"What is this?"},{"inline_data":{"mime_type":"image/png","data":"iVBORw0KGgo="}}]}],"generation_config":{"max_output_tokens":50,"stop_sequences":["END"],"top_p":0.9}}""")]
    public async Task GenerateContent_CamelOrSnakeCase_IsTakenAndTheImageIsSeen(string json)
    {
        var (status, body) = await PostAsync("generateContent", json);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Hello from fake Gemini! I received image/png. You said: What is this?", Text(body));
    }

    [Fact]
    public async Task GenerateContent_ToolsThenFunctionResponse_CallsTheFirstFunctionThenQuotesItsResult()
    {
        const string Tools = """{"function_declarations":[{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]}""";

        var (_, call) = await PostAsync("generateContent", $$"""{"contents":[{"role":"user","parts":[{"text":"Weather in Paris?"}]}],"tools":[{{Tools}}]}""");
        var (_, answer) = await PostAsync("generateContent", """
            {"contents":[{"role":"user","parts":[{"text":"Weather in Paris?"}]},
              {"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}]},
              {"role":"user","parts":[{"function_response":{"name":"get_weather","response":{"content":"18C"}}}]}],"tools":[TOOLS]}
            """.Replace("TOOLS", Tools, StringComparison.Ordinal));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"name":"get_weather","args":{"city":"Paris"}}"""), call["candidates"]![0]!["content"]!["parts"]![0]!["functionCall"]));
        Assert.Equal("""The function get_weather returned {"content":"18C"}.""", Text(answer));
    }

    [Fact]
    public async Task GenerateContent_CandidateCountJsonAndThoughts_AreAnsweredAsAsked()
    {
        var (_, body) = await PostAsync("generateContent", """
            {"contents":[{"role":"user","parts":[{"text":"hi"}]}],
             "generationConfig":{"candidateCount":2,"responseMimeType":"application/json","thinkingConfig":{"thinkingBudget":1024,"includeThoughts":true}}}
            """);

        var candidates = body["candidates"]!.AsArray();
        Assert.Equal(2, candidates.Count);
        var parts = candidates[1]!["content"]!["parts"]!.AsArray();
        Assert.True(parts[0]!["thought"]!.GetValue<bool>());
        Assert.StartsWith("Hello from fake Gemini!", JsonNode.Parse(parts[1]!["text"]!.GetValue<string>())!["answer"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(body["usageMetadata"]!["thoughtsTokenCount"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task StreamGenerateContent_AltSse_IsEventsOfTheSameTextFinishedOnTheLast()
    {
        var (_, whole) = await PostAsync("generateContent", Hello);

        using var response = await SendAsync("streamGenerateContent?alt=sse", Hello);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => JsonNode.Parse(e["data: ".Length..])!).ToList();
        Assert.True(events.Count >= 3, text);
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
        Assert.Equal(Text(whole), string.Concat(events.Select(Text)));
        Assert.All(events[..^1], e => Assert.Null(e["candidates"]![0]!["finishReason"]));
        Assert.Equal("STOP", events[^1]["candidates"]![0]!["finishReason"]!.GetValue<string>());
        Assert.Equal(whole["usageMetadata"]!["candidatesTokenCount"]!.GetValue<int>(), events[^1]["usageMetadata"]!["candidatesTokenCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task StreamGenerateContent_WithoutAlt_IsOneJsonArrayAsGoogleAnswers()
    {
        using var response = await SendAsync("streamGenerateContent", Hello);

        var chunks = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        Assert.True(chunks.Count >= 3);
        Assert.Equal("STOP", chunks[^1]!["candidates"]![0]!["finishReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task StreamGenerateContent_Held_DeliversTheFirstEventBeforeTheRest()
    {
        _gemini.HoldStreamAfterFirstChunk = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        using var response = await SendAsync("streamGenerateContent?alt=sse", Hello, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadLineAsync();
        _gemini.HoldStreamAfterFirstChunk.SetResult();

        Assert.StartsWith("data: {\"candidates\"", first, StringComparison.Ordinal);
        Assert.Contains("finishReason", await reader.ReadToEndAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateContent_FailingOnceWith429_IsResourceExhaustedWithRetryInfoThenAnswers()
    {
        _gemini.FailWithStatus = 429;
        _gemini.FailRemaining = 1;

        var (status, body) = await PostAsync("generateContent", Hello);
        var (after, _) = await PostAsync("generateContent", Hello);

        Assert.Equal((HttpStatusCode.TooManyRequests, HttpStatusCode.OK), (status, after));
        Assert.Equal("RESOURCE_EXHAUSTED", body["error"]!["status"]!.GetValue<string>());
        var retry = body["error"]!["details"]!.AsArray().Single(d => d!["@type"]!.GetValue<string>() == "type.googleapis.com/google.rpc.RetryInfo");
        Assert.Equal("1s", retry!["retryDelay"]!.GetValue<string>());
    }

    [Fact]
    public async Task GenerateContent_FailingWith503_IsTheModelOverloaded()
    {
        _gemini.FailWithStatus = 503;

        var (status, body) = await PostAsync("generateContent", Hello);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(("UNAVAILABLE", "The model is overloaded. Please try again later."), (body["error"]!["status"]!.GetValue<string>(), body["error"]!["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task GenerateContent_BlockedPrompt_HasPromptFeedbackAndNoCandidates()
    {
        _gemini.BlockPrompt = true;

        var (status, body) = await PostAsync("generateContent", Hello);
        using var stream = await SendAsync("streamGenerateContent?alt=sse", Hello);
        var events = (await stream.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("SAFETY", body["promptFeedback"]!["blockReason"]!.GetValue<string>());
        Assert.Null(body["candidates"]);
        Assert.Contains("\"blockReason\":\"SAFETY\"", Assert.Single(events), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateContent_SafetyFinish_IsACandidateWithoutContent()
    {
        _gemini.SafetyFinish = true;

        var (_, body) = await PostAsync("generateContent", Hello);

        var candidate = Assert.Single(body["candidates"]!.AsArray())!;
        Assert.Equal("SAFETY", candidate["finishReason"]!.GetValue<string>());
        Assert.Null(candidate["content"]);
    }

    [Fact]
    public async Task BatchEmbedContents_AnswersTheVectorsOfTheHelper()
    {
        var (status, body) = await PostAsync("batchEmbedContents", $$$"""
            {"requests":[{"model":"models/{{{Model}}}","content":{"parts":[{"text":"first"}]}},
                         {"model":"models/{{{Model}}}","content":{"parts":[{"text":"second"}]},"outputDimensionality":40}]}
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        var embeddings = body["embeddings"]!.AsArray();
        Assert.Equal(FakeGemini.ExpectedEmbedding("first"), embeddings[0]!["values"]!.AsArray().Select(v => v!.GetValue<float>()));
        Assert.Equal(FakeGemini.ExpectedEmbedding("second", 40), embeddings[1]!["values"]!.AsArray().Select(v => v!.GetValue<float>()));
    }

    [Fact]
    public async Task BatchEmbedContents_ModelOtherThanTheUrls_Is400()
    {
        var (status, body) = await PostAsync("batchEmbedContents", """{"requests":[{"model":"models/other","content":{"parts":[{"text":"x"}]}}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("is not the model of the URL", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownMethod_Is404InGooglesEnvelope()
    {
        var (status, body) = await PostAsync("countTokens", Hello);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("NOT_FOUND", body["error"]!["status"]!.GetValue<string>());
    }

    private static string Text(JsonNode body) =>
        string.Concat(body["candidates"]![0]!["content"]!["parts"]!.AsArray().Where(p => p!["thought"] is null).Select(p => p!["text"]!.GetValue<string>()));

    private async Task<HttpResponseMessage> SendAsync(string method, string json, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead, string? key = Key, string? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_gemini.ApiBaseFor(Model) + ":" + method))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Add("x-goog-api-key", key);
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await _http.SendAsync(request, completion);
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string method, string json, string? key = Key, string? authorization = null)
    {
        using var response = await SendAsync(method, json, HttpCompletionOption.ResponseContentRead, key, authorization);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
