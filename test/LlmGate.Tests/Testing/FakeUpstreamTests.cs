using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Testing;

/// <summary>The fake OpenAI refuses what OpenAI refuses, in OpenAI's words, and never answers bad input with a 500.</summary>
public sealed class FakeUpstreamTests : IAsyncLifetime
{
    private const string Key = "sk-proj-fake-upstream-key-7Hq2Zp9X";
    private const string Chat = """{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}""";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 2, 1, 9, 0, 0, TimeSpan.Zero));
    private FakeUpstream _upstream = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync(Key, _time);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task Post_ConfiguredKeyAndJson_IsAnsweredAndStampedOnItsClock()
    {
        _time.Advance(TimeSpan.FromSeconds(42));

        var (status, body) = await PostAsync("Bearer " + Key, "application/json; charset=utf-8", Chat);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("chat.completion", body["object"]!.GetValue<string>());
        Assert.Equal(new DateTimeOffset(2026, 2, 1, 9, 0, 42, TimeSpan.Zero), Assert.Single(_upstream.Received).ArrivedAt);
    }

    [Fact]
    public async Task Post_NoAuthorization_Is401AskingForAKey()
    {
        var (status, body) = await PostAsync(null, "application/json", Chat);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.StartsWith("You didn't provide an API key.", Error(body)["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(Error(body)["code"]);
    }

    [Theory]
    [InlineData("Bearer sk-wrong-0123456789abcdefWXYZ", "sk-wrong*****************WXYZ")]
    [InlineData("Bearer sk-short", "********")]
    [InlineData(Key, "sk-proj-**********************Zp9X")] // the right key, but not as Bearer
    public async Task Post_WrongKey_Is401InvalidApiKeyShowingNoMoreOfItThanOpenAi(string authorization, string shown)
    {
        var (status, body) = await PostAsync(authorization, "application/json", Chat);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        var error = Error(body);
        Assert.Equal(
            $"Incorrect API key provided: {shown}. You can find your API key at https://platform.openai.com/account/api-keys.",
            error["message"]!.GetValue<string>());
        Assert.Equal(("invalid_request_error", "invalid_api_key"), (error["type"]!.GetValue<string>(), error["code"]!.GetValue<string>()));
        Assert.True(error.AsObject().ContainsKey("param") && error["param"] is null);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task Post_NotApplicationJson_Is400UnsupportedContentType(string? contentType)
    {
        var (status, body) = await PostAsync("Bearer " + Key, contentType, Chat);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("unsupported_content_type", Error(body)["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("", "We could not parse the JSON body of your request.")]
    [InlineData("{\"model\": \"gpt-4o\", \"messages\": [", "We could not parse the JSON body of your request.")]
    [InlineData("[1, 2]", "Invalid type for request body: expected an object, but got an array instead.")]
    [InlineData("{\"messages\": []}", "you must provide a model parameter")]
    [InlineData("{\"model\": 4, \"messages\": []}", "you must provide a model parameter")]
    [InlineData("{\"model\": \"gpt-4o\", \"stream\": \"yes\", \"messages\": []}", "Invalid type for 'stream': expected a boolean, but got a string instead.")]
    public async Task Post_MalformedBody_Is400NeverA500(string json, string message)
    {
        _upstream.FailWithStatus = 503; // steering applies to requests OpenAI would have accepted, not to these
        _upstream.FailRemaining = 1;

        var (status, body) = await PostAsync("Bearer " + Key, "application/json", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith(message, Error(body)["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("invalid_request_error", Error(body)["type"]!.GetValue<string>());
        Assert.Equal(1, _upstream.FailRemaining);
    }

    private static JsonNode Error(JsonNode body) => body["error"]!;

    private async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string? authorization, string? contentType, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_upstream.ApiBase + "/chat/completions"))
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)),
        };
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await _http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
