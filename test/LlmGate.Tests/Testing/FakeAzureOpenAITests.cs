using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Testing;

namespace LlmGate.Tests.Testing;

/// <summary>The fake Azure OpenAI answers a body that is not a JSON object with a 400 in OpenAI's shape, never a 500.</summary>
public sealed class FakeAzureOpenAITests : IAsyncLifetime
{
    private const string Key = "azure-fake-key";
    private FakeAzureOpenAI _azure = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _azure = await FakeAzureOpenAI.StartAsync(Key, "entra-token", "my-gpt4o");

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _azure.DisposeAsync();
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", HttpStatusCode.OK)]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]""", HttpStatusCode.BadRequest)]
    [InlineData("", HttpStatusCode.BadRequest)]
    [InlineData("[]", HttpStatusCode.BadRequest)]
    public async Task Post_Body_OnlyAJsonObjectIsServed(string json, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_azure.ApiBase, "/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21"))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("api-key", Key);
        using var response = await _http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.BadRequest)
        {
            Assert.StartsWith("We could not parse the JSON body of your request.", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal("invalid_request_error", body["error"]!["type"]!.GetValue<string>());
        }
    }
}
