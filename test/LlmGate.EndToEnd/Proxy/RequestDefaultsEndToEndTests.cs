using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Testing;
using OpenAI.Chat;

namespace LlmGate.EndToEnd.Proxy;

/// <summary>
/// LiteLLM's request defaults in <c>litellm_params</c> (the request's own value wins, <c>extra_body</c> merged) and its
/// <c>drop_params</c> / <c>additional_drop_params</c>, seen from the upstream's side of a real gateway.
/// </summary>
public sealed class RequestDefaultsEndToEndTests : IAsyncLifetime
{
    private const string AnthropicKey = "sk-ant-defaults-test";
    private FakeUpstream _upstream = null!;
    private FakeAnthropic _anthropic = null!;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _anthropic = await FakeAnthropic.StartAsync(AnthropicKey);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _anthropic.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private Task<TestGateway> GatewayAsync(string settings = "") => TestGateway.StartAsync($$"""
        model_list:
          - model_name: tuned
            litellm_params:
              model: openai/gpt-4o-mini
              api_base: {{_upstream.ApiBase}}
              api_key: {{_upstream.ApiKey}}
              temperature: 0.2
              max_tokens: 64
              extra_body:
                top_k: 5
                chat_template_kwargs:
                  enable_thinking: false
              additional_drop_params: ["logit_bias"]
          - model_name: claude
            litellm_params:
              model: anthropic/claude-3-5-haiku-latest
              api_base: {{_anthropic.ApiBase}}
              api_key: {{AnthropicKey}}
          - model_name: claude-lenient
            litellm_params:
              model: anthropic/claude-3-5-haiku-latest
              api_base: {{_anthropic.ApiBase}}
              api_key: {{AnthropicKey}}
              drop_params: true
        {{settings}}
        """);

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(TestGateway gateway, string json)
    {
        using var response = await _http.PostAsync(new Uri(gateway.BaseAddress, "v1/chat/completions"), new StringContent(json, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Defaults_FromLitellmParams_SentWhenTheRequestHasNone()
    {
        await using var gateway = await GatewayAsync();

        await GatewayClients.Chat(gateway.BaseAddress, "tuned").CompleteChatAsync([new UserChatMessage("Hi")]);

        var sent = JsonNode.Parse(Assert.Single(_upstream.Received).Body)!;
        Assert.Equal(0.2, sent["temperature"]!.GetValue<double>());
        Assert.Equal(64, sent["max_tokens"]!.GetValue<int>());
        Assert.Equal(5, sent["top_k"]!.GetValue<int>());
        Assert.False(sent["chat_template_kwargs"]!["enable_thinking"]!.GetValue<bool>());
        Assert.Equal("gpt-4o-mini", sent["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Defaults_RequestValue_WinsOverTheDeployments()
    {
        await using var gateway = await GatewayAsync();

        await GatewayClients.Chat(gateway.BaseAddress, "tuned").CompleteChatAsync([new UserChatMessage("Hi")],
            new ChatCompletionOptions { Temperature = 0.9f, MaxOutputTokenCount = 10 });

        var sent = JsonNode.Parse(Assert.Single(_upstream.Received).Body)!;
        Assert.Equal(0.9, sent["temperature"]!.GetValue<double>(), 3);
        Assert.Equal(5, sent["top_k"]!.GetValue<int>());
        // The request's max_completion_tokens replaces the deployment's max_tokens: OpenAI refuses both at once.
        Assert.Equal(10, sent["max_completion_tokens"]!.GetValue<int>());
        Assert.Null(sent["max_tokens"]);
    }

    [Fact]
    public async Task AdditionalDropParams_NeverReachTheUpstream()
    {
        await using var gateway = await GatewayAsync();

        var (status, _) = await PostAsync(gateway, """{"model":"tuned","logit_bias":{"50256":-100},"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("logit_bias", Assert.Single(_upstream.Received).Body, StringComparison.Ordinal);
    }

    private const string JsonModeRequest = """{"model":"MODEL","response_format":{"type":"json_object"},"messages":[{"role":"user","content":"Hi"}]DROP}""";

    [Fact]
    public async Task UnsupportedParam_WithoutDropParams_400NamingItAndNothingSent()
    {
        await using var gateway = await GatewayAsync();

        var (status, body) = await PostAsync(gateway, JsonModeRequest.Replace("MODEL", "claude", StringComparison.Ordinal).Replace("DROP", "", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = JsonNode.Parse(body)!["error"]!;
        Assert.Equal("response_format", error["param"]!.GetValue<string>());
        Assert.Contains("drop_params: true", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_anthropic.Received);
    }

    [Theory]
    [InlineData("claude-lenient", "", "")]
    [InlineData("claude", ",\"drop_params\":true", "")]
    [InlineData("claude", "", "litellm_settings:\n  drop_params: true")]
    public async Task UnsupportedParam_DroppedByDeploymentRequestOrSettings_CallSucceedsWithoutIt(string model, string requestFlag, string settings)
    {
        await using var gateway = await GatewayAsync(settings);

        var (status, body) = await PostAsync(gateway, JsonModeRequest.Replace("MODEL", model, StringComparison.Ordinal).Replace("DROP", requestFlag, StringComparison.Ordinal));

        Assert.True(status == HttpStatusCode.OK, body);
        var sent = Assert.Single(_anthropic.Received).Body;
        Assert.DoesNotContain("response_format", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("drop_params", sent, StringComparison.Ordinal);
    }
}
