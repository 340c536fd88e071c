using System.Text.Json.Nodes;
using LlmGate.Testing;
using OpenAI.Chat;

namespace LlmGate.EndToEnd.Providers;

/// <summary>
/// The table-driven OpenAI-compatible providers: each prefix reaches its (here: faked) server under its <c>api_base</c>
/// with the key from its own environment variable, through the official OpenAI SDK.
/// </summary>
public sealed class OpenAiCompatibleProvidersEndToEndTests
{
    [Theory]
    [InlineData("moonshot", "MOONSHOT_API_KEY")]
    [InlineData("zai", "ZAI_API_KEY")]
    [InlineData("gradient_ai", "GRADIENT_AI_API_KEY")]
    [InlineData("dashscope", "DASHSCOPE_API_KEY")]
    [InlineData("novita", "NOVITA_API_KEY")]
    [InlineData("nebius", "NEBIUS_API_KEY")]
    [InlineData("featherless_ai", "FEATHERLESS_AI_API_KEY")]
    [InlineData("friendliai", "FRIENDLI_TOKEN")]
    [InlineData("hyperbolic", "HYPERBOLIC_API_KEY")]
    [InlineData("lambda_ai", "LAMBDA_API_KEY")]
    [InlineData("llamafile", "LLAMAFILE_API_KEY")]
    [InlineData("vllm", "HOSTED_VLLM_API_KEY")]
    [InlineData("codestral", "CODESTRAL_API_KEY")]
    [InlineData("azure_ai", "AZURE_AI_API_KEY")]
    public async Task Chat_ThroughSdk_ReachesTheProvidersServerWithItsKey(string prefix, string keyVariable)
    {
        await using var upstream = await FakeUpstream.StartAsync("sk-" + prefix + "-secret");
        await using var gateway = await TestGateway.StartAsync($"""
            model_list:
              - model_name: m
                litellm_params:
                  model: {prefix}/vendor/some-model
                  api_base: {upstream.ApiBase}
            """, new Dictionary<string, string> { [keyVariable] = upstream.ApiKey });

        ChatCompletion completion = await GatewayClients.Chat(gateway.BaseAddress, "m").CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.Equal("Hello from the fake upstream.", completion.Content[0].Text);
        var received = Assert.Single(upstream.Received);
        Assert.Equal("/v1/chat/completions", received.Path);
        Assert.Equal("Bearer " + upstream.ApiKey, received.Authorization);
        Assert.Equal("vendor/some-model", JsonNode.Parse(received.Body)!["model"]!.GetValue<string>());
    }
}
