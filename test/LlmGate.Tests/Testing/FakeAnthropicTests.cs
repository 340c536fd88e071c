using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Testing;

namespace LlmGate.Tests.Testing;

/// <summary>The fake Anthropic answers a body it cannot use with Anthropic's 400, never a 500.</summary>
public sealed class FakeAnthropicTests : IAsyncLifetime
{
    private const string Key = "sk-ant-api03-fake-key";
    private FakeAnthropic _anthropic = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _anthropic = await FakeAnthropic.StartAsync(Key);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _anthropic.DisposeAsync();
    }

    [Fact]
    public async Task Post_ValidMessage_IsAnswered()
    {
        var (status, body) = await PostAsync("""{"model":"claude-3-5-sonnet-latest","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("message", body["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("", "The request body is not valid JSON: ")]
    [InlineData("{\"model\": \"claude\", \"messages\": [", "The request body is not valid JSON: ")]
    [InlineData("\"just a string\"", "The request body is not valid JSON: ")]
    [InlineData("{\"max_tokens\": 10, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "model: Field required")]
    [InlineData("{\"model\": 3, \"max_tokens\": 10, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "model: Input should be a valid string")]
    [InlineData("{\"model\": \"claude\", \"max_tokens\": \"ten\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "max_tokens: Input should be a valid integer")]
    [InlineData("{\"model\": \"claude\", \"max_tokens\": 10, \"stream\": 1, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "stream: Input should be a valid boolean")]
    [InlineData("{\"model\": \"claude\", \"max_tokens\": 10, \"messages\": [\"hi\"]}", "messages.0: Input should be a valid dictionary")]
    [InlineData("{\"model\": \"claude\", \"max_tokens\": 10, \"messages\": [{\"role\": \"user\", \"content\": [1]}]}", "messages.0.content: Input should be a valid list")]
    [InlineData("{\"model\": \"claude\", \"max_tokens\": 10, \"tools\": [{}], \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "tools: each tool needs a name")]
    public async Task Post_MalformedBody_Is400InvalidRequestNeverA500(string json, string message)
    {
        var (status, body) = await PostAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", body["error"]!["type"]!.GetValue<string>());
        Assert.StartsWith(message, body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_anthropic.ApiBase, "/v1/messages"))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", Key);
        request.Headers.Add("anthropic-version", "2023-06-01");
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
