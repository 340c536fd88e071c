using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Testing;

namespace LlmGate.Tests.Messages;

public sealed class CountTokensTests
{
    private const string MasterKey = "sk-count-master-5b20";
    private const string Body = """{"model":"MODEL","system":"You are terse.","messages":[{"role":"user","content":"How many tokens is this sentence, roughly?"}]}""";

    [Fact]
    public async Task CountTokens_AnthropicGroup_AskedOfAnthropicWithItsModelName()
    {
        await using var anthropic = await FakeAnthropic.StartAsync("sk-ant-count-0001");
        await using var gateway = await TestGateway.StartAsync($$"""
            model_list:
              - model_name: claude
                litellm_params: {model: anthropic/claude-haiku-4-5, api_base: "{{anthropic.ApiBase}}", api_key: sk-ant-count-0001}
            general_settings: {master_key: {{MasterKey}}}
            """);

        var (headers, body) = await CountAsync(gateway, "claude");

        var sent = Assert.Single(anthropic.Received);
        Assert.Equal("/v1/messages/count_tokens", sent.Path);
        Assert.Equal("claude-haiku-4-5", (string?)JsonNode.Parse(sent.Body)!["model"]);
        Assert.Equal(sent.Body.Split(' ', '"').Length, (int?)body["input_tokens"]);
        Assert.False(headers.Contains("x-llmgate-token-count"));
    }

    [Fact]
    public async Task CountTokens_OpenAiGroup_EstimatedAndSaysSo()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var gateway = await StartOpenAiGatewayAsync(upstream);

        var (headers, body) = await CountAsync(gateway, "gpt");

        // "You are terse.", "user" and the question: 60 bytes of text, a token per four.
        Assert.Equal(15, (int?)body["input_tokens"]);
        Assert.Equal("estimate", Assert.Single(headers.GetValues("x-llmgate-token-count")));
        Assert.Empty(upstream.Received);
    }

    [Fact]
    public async Task CountTokens_ModelThatIsNoUnicode_Is400NotAnInternalError()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var gateway = await StartOpenAiGatewayAsync(upstream);
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        http.DefaultRequestHeaders.Add("x-api-key", MasterKey);

        using var response = await http.PostAsync(new Uri("/v1/messages/count_tokens", UriKind.Relative),
            new StringContent(Body.Replace("MODEL", "\\udc00", StringComparison.Ordinal), Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("The request body holds an unpaired surrogate escape", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["message"], StringComparison.Ordinal);
    }

    private static Task<TestGateway> StartOpenAiGatewayAsync(FakeUpstream upstream) => TestGateway.StartAsync($$"""
        model_list:
          - model_name: gpt
            litellm_params: {model: openai/gpt-4o, api_base: "{{upstream.ApiBase}}", api_key: {{upstream.ApiKey}}}
        general_settings: {master_key: {{MasterKey}}}
        """);

    private static async Task<(System.Net.Http.Headers.HttpResponseHeaders Headers, JsonNode Body)> CountAsync(TestGateway gateway, string model)
    {
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        http.DefaultRequestHeaders.Add("x-api-key", MasterKey);
        var response = await http.PostAsync(new Uri("/v1/messages/count_tokens", UriKind.Relative),
            new StringContent(Body.Replace("MODEL", model, StringComparison.Ordinal), Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (response.Headers, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
