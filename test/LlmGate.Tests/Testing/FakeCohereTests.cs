using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Testing;

namespace LlmGate.Tests.Testing;

/// <summary>The fake Cohere takes the key as Cohere does, refuses what Cohere's v2 API refuses in its error body, and answers (and streams) in Cohere's format.</summary>
public sealed class FakeCohereTests : IAsyncLifetime
{
    private const string Key = "co-fake-0123456789";
    private const string Hello = """{"model":"command-r-plus","messages":[{"role":"user","content":"Hi there"}]}""";
    private const string Weather =
        """{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}""";

    private readonly HttpClient _http = new();
    private FakeCohere _cohere = null!;

    public async Task InitializeAsync() => _cohere = await FakeCohere.StartAsync(Key);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cohere.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, string json, string? key = Key, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_cohere.Root, path)) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> ChatAsync(string json, string? key = Key)
    {
        var (status, body) = await PostAsync("/v2/chat", json, key);
        return (status, JsonNode.Parse(body)!);
    }

    // The events of a stream: each event's name and its data ("[DONE]" as data without a name).
    private static List<(string? Name, string Data)> Events(string sse) =>
    [
        .. sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e =>
        {
            var lines = e.Split('\n');
            var name = lines.FirstOrDefault(l => l.StartsWith("event: ", StringComparison.Ordinal))?["event: ".Length..];
            return (name, lines.Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..]);
        }),
    ];

    [Fact]
    public async Task Chat_BearerKey_AnswersInCoheresFormat()
    {
        var (status, body) = await ChatAsync(Hello);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""[{"type":"text","text":"Hello from fake Cohere! You said: Hi there"}]""", body["message"]!["content"]!.ToJsonString());
        Assert.Equal(("assistant", "COMPLETE"), (body["message"]!["role"]!.GetValue<string>(), body["finish_reason"]!.GetValue<string>()));
        Assert.True(Guid.TryParse(body["id"]!.GetValue<string>(), out _));
        var usage = body["usage"]!;
        Assert.Equal(usage["billed_units"]!["input_tokens"]!.GetValue<int>() + FakeCohere.PreambleTokens, usage["tokens"]!["input_tokens"]!.GetValue<int>());
        Assert.Equal("Bearer " + Key, Assert.Single(_cohere.Received).Authorization);
    }

    [Theory]
    [InlineData(null, "no api key supplied")]
    [InlineData("wrong-key", "invalid api token")]
    public async Task Chat_MissingOrWrongKey_Is401(string? key, string message)
    {
        var (status, body) = await ChatAsync(Hello, key);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(message, body["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_NotJsonContentType_Is400()
    {
        var (status, body) = await PostAsync("/v2/chat", Hello, contentType: "text/plain");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Content-Type must be application/json", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"command-r","messages":[{"role":"user","content":"Hi"}],"top_p":0.9}""", "unknown field \"top_p\"")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}]}""", "model must be a non-empty string")]
    [InlineData("""{"model":"command-r","messages":[]}""", "messages must be a non-empty list")]
    [InlineData("""{"model":"command-r","messages":[{"role":"developer","content":"Hi"}]}""", "messages[0].role must be one of")]
    [InlineData("""{"model":"command-r","messages":[{"role":"user","content":"Hi","name":"ann"}]}""", "unknown field \"name\" in user message")]
    [InlineData("""{"model":"command-r","messages":[{"role":"system","content":[{"type":"image_url","image_url":{"url":"https://x/y.png"}}]}]}""", "a system message takes content parts of type text")]
    [InlineData("""{"model":"command-r","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/y.png","detail":"huge"}}]}]}""", "is not a valid image_url content part")]
    [InlineData("""{"model":"command-r","messages":[{"role":"user","content":"Hi"},{"role":"tool","tool_call_id":"c1","content":"18C"}]}""", "tool_call_id 'c1' does not match any tool call")]
    [InlineData("""{"model":"command-r","messages":[{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"f","arguments":"{}"}}]}]}""", "messages[0].tool_calls[0] must be")]
    [InlineData("""{"model":"command-r","messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{not json"}}]}]}""", "arguments is not valid JSON")]
    [InlineData("""{"model":"command-r","messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"function","function":{"name":"f"}}]}""", "tools[0] must be")]
    [InlineData("""{"model":"command-r","messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":{},"strict":true}}]}""", "tools[0] must be")]
    [InlineData("""{"model":"command-r","messages":[{"role":"user","content":"Hi"}],"tool_choice":"auto"}""", "tool_choice must be one of REQUIRED, NONE")]
    [InlineData("""{"model":"command-r","messages":[{"role":"user","content":"Hi"}],"p":1.0}""", "p must be between 0.01 and 0.99")]
    [InlineData("""{"model":"command-r","messages":[{"role":"user","content":"Hi"}],"k":501}""", "k must be an integer between 0 and 500")]
    [InlineData("""{"model":"command-r","messages":[{"role":"user","content":"Hi"}],"stop_sequences":["a","b","c","d","e","f"]}""", "at most 5 strings")]
    [InlineData("""{"model":"command-r","messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"json_schema"}}""", "response_format must be")]
    [InlineData("""{"model":"command-r","messages":[{"role":"user","content":"Hi"}],"max_tokens":0}""", "max_tokens must be a positive integer")]
    [InlineData("not json", "the body must be a JSON object")]
    public async Task Chat_RequestCohereRefuses_Is400NamingTheProblem(string json, string message)
    {
        var (status, body) = await ChatAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("invalid request: ", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(message, body["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_UnknownModel_Is404()
    {
        var (status, body) = await ChatAsync("""{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.StartsWith("model 'gpt-4o' not found", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_ToolsThenToolResult_CallsTheFirstToolThenQuotesTheResult()
    {
        var (_, first) = await ChatAsync($$"""{"model":"command-r","messages":[{"role":"user","content":"Weather?"}],"tools":[{{Weather}}]}""");

        Assert.Equal("TOOL_CALL", first["finish_reason"]!.GetValue<string>());
        Assert.Equal("I will call get_weather to answer.", first["message"]!["tool_plan"]!.GetValue<string>());
        var call = first["message"]!["tool_calls"]![0]!;
        Assert.StartsWith("get_weather_", call["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("""{"city":"Paris"}""", call["function"]!["arguments"]!.GetValue<string>());

        var (status, second) = await ChatAsync($$"""
            {"model":"command-r","tools":[{{Weather}}],"messages":[{"role":"user","content":"Weather?"},
             {"role":"assistant","tool_plan":"I will call get_weather to answer.","tool_calls":[{{call.ToJsonString()}}]},
             {"role":"tool","tool_call_id":"{{call["id"]}}","content":[{"type":"text","text":"18C"}]}]}
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("The tool get_weather returned 18C.", second["message"]!["content"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_ToolChoiceNone_AnswersText()
    {
        var (_, body) = await ChatAsync($$"""{"model":"command-r","messages":[{"role":"user","content":"Hi"}],"tools":[{{Weather}}],"tool_choice":"NONE"}""");

        Assert.Equal("COMPLETE", body["finish_reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"model":"command-r","messages":[{"role":"user","content":"one two three four five six seven"}],"max_tokens":3}""", "MAX_TOKENS", "Hello from fake")]
    [InlineData("""{"model":"command-r","messages":[{"role":"user","content":"Hi"}],"stop_sequences":["fake"]}""", "STOP_SEQUENCE", "Hello from ")]
    [InlineData("""{"model":"command-r","messages":[{"role":"user","content":[{"type":"text","text":"What?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}]}""", "COMPLETE", "Hello from fake Cohere! I received 1 image(s). You said: What?")]
    public async Task Chat_LimitsAndImages_TextAndFinishReason(string json, string finishReason, string text)
    {
        var (_, body) = await ChatAsync(json);

        Assert.Equal((finishReason, text), (body["finish_reason"]!.GetValue<string>(), body["message"]!["content"]![0]!["text"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Chat_JsonObject_AnswerIsJson()
    {
        var (_, body) = await ChatAsync("""{"model":"command-r","messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"json_object"}}""");

        Assert.Equal("Hello from fake Cohere! You said: Hi", JsonNode.Parse(body["message"]!["content"]![0]!["text"]!.GetValue<string>())!["answer"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_Stream_TypedEventsThenDone()
    {
        var (status, sse) = await PostAsync("/v2/chat", """{"model":"command-r","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var events = Events(sse);
        Assert.Equal(["message-start", "content-start", "content-delta", "content-delta", "content-delta", "content-end", "message-end", null], events.Select(e => e.Name));
        Assert.All(events.SkipLast(1), e => Assert.Equal(e.Name, JsonNode.Parse(e.Data)!["type"]!.GetValue<string>()));
        Assert.Equal("Hello from fake Cohere! You said: Hi",
            string.Concat(events.Where(e => e.Name == "content-delta").Select(e => JsonNode.Parse(e.Data)!["delta"]!["message"]!["content"]!["text"]!.GetValue<string>())));
        Assert.Equal("COMPLETE", JsonNode.Parse(events[^2].Data)!["delta"]!["finish_reason"]!.GetValue<string>());
        Assert.Equal("[DONE]", events[^1].Data);
    }

    [Fact]
    public async Task Chat_StreamWithTools_PlanThenCallInPieces()
    {
        var (_, sse) = await PostAsync("/v2/chat", $$"""{"model":"command-r","stream":true,"messages":[{"role":"user","content":"Weather?"}],"tools":[{{Weather}}]}""");

        var events = Events(sse);
        Assert.Equal(["message-start", "tool-plan-delta", "tool-plan-delta", "tool-plan-delta", "tool-call-start", "tool-call-delta", "tool-call-delta", "tool-call-end", "message-end", null],
            events.Select(e => e.Name));
        Assert.Equal("""{"city":"Paris"}""", string.Concat(events.Where(e => e.Name == "tool-call-delta")
            .Select(e => JsonNode.Parse(e.Data)!["delta"]!["message"]!["tool_calls"]!["function"]!["arguments"]!.GetValue<string>())));
        Assert.Equal("TOOL_CALL", JsonNode.Parse(events[^2].Data)!["delta"]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_StreamError_MessageEndCarriesIt()
    {
        _cohere.StreamError = "internal error: generation failed";

        var (_, sse) = await PostAsync("/v2/chat", """{"model":"command-r","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        var end = JsonNode.Parse(Events(sse)[^2].Data)!["delta"]!;
        Assert.Equal(("internal error: generation failed", "ERROR"), (end["error"]!.GetValue<string>(), end["finish_reason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Chat_HoldStreamAfterFirstChunk_FirstTextArrivesBeforeTheRest()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _cohere.HoldStreamAfterFirstChunk = hold;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_cohere.Root, "/v2/chat"))
        {
            Content = new StringContent("""{"model":"command-r","stream":true,"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var seen = new StringBuilder();
        var buffer = new byte[4096];
        while (!seen.ToString().Contains("content-delta", StringComparison.Ordinal) || !seen.ToString().EndsWith("\n\n", StringComparison.Ordinal))
        {
            seen.Append(Encoding.UTF8.GetString(buffer, 0, await stream.ReadAsync(buffer)));
        }

        Assert.DoesNotContain("message-end", seen.ToString(), StringComparison.Ordinal);
        hold.SetResult();
        using var reader = new StreamReader(stream);
        seen.Append(await reader.ReadToEndAsync());
        Assert.EndsWith("data: [DONE]\n\n", seen.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_FailRemaining_CohereErrorThenNormal()
    {
        _cohere.FailWithStatus = 429;
        _cohere.FailRemaining = 1;

        var (firstStatus, first) = await ChatAsync(Hello);
        var (secondStatus, _) = await ChatAsync(Hello);

        Assert.Equal((HttpStatusCode.TooManyRequests, HttpStatusCode.OK), (firstStatus, secondStatus));
        Assert.StartsWith("You are using a Trial key", first["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(first["id"]);
    }

    [Fact]
    public async Task Embed_Texts_FloatVectorsFromTheTextAndBilledTokens()
    {
        var (status, json) = await PostAsync("/v2/embed", """{"model":"embed-v4.0","texts":["first text","second"],"input_type":"search_document","embedding_types":["float","int8"]}""");
        var body = JsonNode.Parse(json)!;

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(FakeCohere.ExpectedEmbedding("first text"), body["embeddings"]!["float"]![0]!.AsArray().Select(v => v!.GetValue<float>()));
        Assert.Equal(FakeCohere.DefaultEmbeddingDimensions, body["embeddings"]!["int8"]![1]!.AsArray().Count);
        Assert.Equal(3, body["meta"]!["billed_units"]!["input_tokens"]!.GetValue<int>());
        Assert.Equal("embeddings_by_type", body["response_type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"model":"embed-v4.0","texts":["a"],"input_type":"search_document"}""", "embedding_types is required")]
    [InlineData("""{"model":"embed-v4.0","texts":["a"],"input_type":"document","embedding_types":["float"]}""", "input_type must be one of")]
    [InlineData("""{"model":"embed-v4.0","texts":[],"input_type":"search_query","embedding_types":["float"]}""", "texts must be a list of 1 to 96 strings")]
    [InlineData("""{"model":"embed-v4.0","texts":["a"],"input_type":"search_query","embedding_types":["float"],"dimensions":256}""", "unknown field \"dimensions\"")]
    [InlineData("""{"model":"embed-v4.0","texts":["a"],"input_type":"search_query","embedding_types":["float"],"output_dimension":100}""", "output_dimension must be one of")]
    public async Task Embed_RequestCohereRefuses_Is400(string json, string message)
    {
        var (status, body) = await PostAsync("/v2/embed", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(message, JsonNode.Parse(body)!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embed_ChatModel_Is404()
    {
        var (status, _) = await PostAsync("/v2/embed", """{"model":"command-r","texts":["a"],"input_type":"search_query","embedding_types":["float"]}""");

        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task UnknownPath_Is404AndRecorded()
    {
        var (status, _) = await PostAsync("/v1/chat", Hello);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("/v1/chat", Assert.Single(_cohere.Received).Path);
    }
}
