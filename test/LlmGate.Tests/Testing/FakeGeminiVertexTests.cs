using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Testing;

/// <summary>The fake Vertex AI takes only live tokens of its token server and its own project and location; Claude on it is Anthropic's API in Vertex's dialect.</summary>
public sealed class FakeGeminiVertexTests : IAsyncLifetime
{
    private const string Hello = """{"contents":[{"role":"user","parts":[{"text":"Hi there"}]}]}""";
    private const string Claude = "claude-sonnet-4@20250514";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly HttpClient _http = new();
    private FakeGoogleTokenServer _tokens = null!;
    private FakeGemini _vertex = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _tokens = await FakeGoogleTokenServer.StartAsync(_time);
        _vertex = await FakeGemini.StartVertexAsync(_tokens, "my-project", "europe-west4");
        _token = await GoogleJwt.AccessTokenAsync(_http, _tokens.CreateServiceAccount("my-project"), _time.GetUtcNow());
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _vertex.DisposeAsync();
        await _tokens.DisposeAsync();
    }

    [Fact]
    public async Task GenerateContent_LiveToken_IsAnsweredWithVertexFields()
    {
        var (status, body) = await PostAsync(_vertex.ApiBaseFor("gemini-2.5-pro") + ":generateContent", Hello);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Hello from fake Gemini! You said: Hi there", body["candidates"]![0]!["content"]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("2026-03-01T12:00:00.000000Z", body["createTime"]!.GetValue<string>());
        Assert.Equal("/v1/projects/my-project/locations/europe-west4/publishers/google/models/gemini-2.5-pro:generateContent", Assert.Single(_vertex.Received).Path);
    }

    [Theory]
    [InlineData(null, "CREDENTIALS_MISSING")]
    [InlineData("Bearer ya29.not-issued-here", "ACCESS_TOKEN_TYPE_UNSUPPORTED")]
    public async Task GenerateContent_NoOrUnknownToken_Is401Unauthenticated(string? authorization, string reason)
    {
        var (status, body) = await PostAsync(_vertex.ApiBaseFor("gemini-2.5-pro") + ":generateContent", Hello, authorization);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("UNAUTHENTICATED", body["error"]!["status"]!.GetValue<string>());
        Assert.Equal(reason, body["error"]!["details"]![0]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task GenerateContent_TokenPastItsExpiry_Is401Expired()
    {
        _time.Advance(TimeSpan.FromSeconds(3599));

        var (status, body) = await PostAsync(_vertex.ApiBaseFor("gemini-2.5-pro") + ":generateContent", Hello);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.StartsWith("Request had invalid authentication credentials.", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("ACCESS_TOKEN_EXPIRED", body["error"]!["details"]![0]!["reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("other-project", "europe-west4", HttpStatusCode.Forbidden, "PERMISSION_DENIED")]
    [InlineData("my-project", "us-central1", HttpStatusCode.NotFound, "NOT_FOUND")]
    public async Task GenerateContent_AnotherProjectOrLocation_IsRefusedAsGoogleDoes(string project, string location, HttpStatusCode expected, string googleStatus)
    {
        var url = new Uri(_vertex.Root, $"/v1/projects/{project}/locations/{location}/publishers/google/models/gemini-2.5-pro:generateContent");

        var (status, body) = await PostAsync(url.ToString(), Hello);

        Assert.Equal(expected, status);
        Assert.Equal(googleStatus, body["error"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task StreamGenerateContent_AltSse_IsAnEventStreamFinishedOnItsLastEvent()
    {
        var (status, text) = await PostTextAsync(_vertex.ApiBaseFor("gemini-2.5-pro") + ":streamGenerateContent?alt=sse", Hello);

        Assert.Equal(HttpStatusCode.OK, status);
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.True(events.Length >= 3, text);
        Assert.All(events, e => Assert.StartsWith("data: {", e, StringComparison.Ordinal));
        Assert.Equal("STOP", JsonNode.Parse(events[^1]["data: ".Length..])!["candidates"]![0]!["finishReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Predict_Embeddings_AnswersTheVectorsOfTheHelperWithStatistics()
    {
        var (status, body) = await PostAsync(_vertex.ApiBaseFor("text-embedding-005") + ":predict",
            """{"instances":[{"content":"two words","task_type":"RETRIEVAL_QUERY"}],"parameters":{"outputDimensionality":12}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var embeddings = body["predictions"]![0]!["embeddings"]!;
        Assert.Equal(FakeGemini.ExpectedEmbedding("two words", 12), embeddings["values"]!.AsArray().Select(v => v!.GetValue<float>()));
        Assert.Equal(2, embeddings["statistics"]!["token_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task RawPredict_VertexDialect_IsAnsweredAsAnthropicForTheUrlsModel()
    {
        var (status, body) = await PostAsync(_vertex.AnthropicApiBaseFor(Claude) + ":rawPredict",
            """{"anthropic_version":"vertex-2023-10-16","max_tokens":20,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("message", Claude), (body["type"]!.GetValue<string>(), body["model"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("""{"max_tokens":20,"messages":[{"role":"user","content":"hi"}]}""", "anthropic_version: Field required")]
    [InlineData("""{"anthropic_version":"2023-06-01","max_tokens":20,"messages":[{"role":"user","content":"hi"}]}""", "anthropic_version: Input should be 'vertex-2023-10-16'")]
    [InlineData("""{"anthropic_version":"vertex-2023-10-16","model":"claude-sonnet-4","max_tokens":20,"messages":[{"role":"user","content":"hi"}]}""", "model: Extra inputs are not permitted")]
    [InlineData("not json", "The request body is not valid JSON")]
    public async Task RawPredict_NotVertexDialect_Is400InAnthropicsShape(string json, string message)
    {
        var (status, body) = await PostAsync(_vertex.AnthropicApiBaseFor(Claude) + ":rawPredict", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(("error", "invalid_request_error"), (body["type"]!.GetValue<string>(), body["error"]!["type"]!.GetValue<string>()));
        Assert.StartsWith(message, body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamRawPredict_IsAnthropicsEventStream()
    {
        var (status, text) = await PostTextAsync(_vertex.AnthropicApiBaseFor(Claude) + ":streamRawPredict",
            """{"anthropic_version":"vertex-2023-10-16","max_tokens":20,"stream":true,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("event: message_start\n", text, StringComparison.Ordinal);
        Assert.Contains("event: message_stop\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RawPredict_QuotaExhausted_IsGoogles429()
    {
        _vertex.FailWithStatus = 429;

        var (status, body) = await PostAsync(_vertex.AnthropicApiBaseFor(Claude) + ":rawPredict",
            """{"anthropic_version":"vertex-2023-10-16","max_tokens":20,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("RESOURCE_EXHAUSTED", body["error"]!["status"]!.GetValue<string>());
    }

    private async Task<(HttpStatusCode Status, string Text)> PostTextAsync(string url, string json, string? authorization = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (authorization is not null)
        {
            request.Headers.Authorization = authorization.Length == 0 ? new AuthenticationHeaderValue("Bearer", _token) : AuthenticationHeaderValue.Parse(authorization);
        }

        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string url, string json, string? authorization = "")
    {
        var (status, text) = await PostTextAsync(url, json, authorization);
        return (status, JsonNode.Parse(text)!);
    }
}
