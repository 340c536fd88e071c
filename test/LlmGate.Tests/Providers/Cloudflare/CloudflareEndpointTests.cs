using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Configuration;
using LlmGate.OpenAi;
using LlmGate.Providers;
using LlmGate.Providers.Cloudflare;

namespace LlmGate.Tests.Providers.Cloudflare;

public sealed class CloudflareEndpointTests
{
    private static readonly ProviderAdapters Adapters = ProviderAdapters.CreateDefault(TimeProvider.System);

    private static ProviderEndpoint Endpoint(string? apiBase = null, string? apiKey = null, Dictionary<string, string>? environment = null) =>
        new(new DeploymentConfig { ModelName = "m", Model = "cloudflare/@cf/meta/llama-3.1-8b-instruct", Id = "d", ApiBase = apiBase, ApiKey = apiKey },
            Adapters, name => environment?.GetValueOrDefault(name));

    private static ProviderCall Call(ProviderEndpoint endpoint, ProxyEndpointKind kind, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        return new ProviderCall(kind, "g", "d", endpoint, bytes, RequestBodyInspector.Inspect(bytes, null), endpoint.UpstreamModelTemplate);
    }

    [Fact]
    public void Endpoint_AccountAndKeyFromVariables_RunUrlWithTheModel()
    {
        var endpoint = Endpoint(environment: new() { ["CLOUDFLARE_ACCOUNT_ID"] = "acc123", ["CLOUDFLARE_API_KEY"] = "cf-key" });

        Assert.IsType<CloudflareAdapter>(endpoint.Adapter);
        Assert.Null(endpoint.UnusableReason);
        Assert.Equal("cf-key", endpoint.ApiKey);
        var settings = Assert.IsType<CloudflareSettings>(endpoint.Settings);
        Assert.Equal("https://api.cloudflare.com/client/v4/accounts/acc123/ai/run/@cf/meta/llama-3.1-8b-instruct", settings.RunUri(endpoint.UpstreamModelTemplate).ToString());
        Assert.Equal("https://api.cloudflare.com/client/v4/accounts/acc123/ai/run", endpoint.PublicApiBase);
    }

    [Fact]
    public void Endpoint_NoAccountNoApiBase_UnusableNamingTheVariable()
    {
        var reason = Endpoint(apiKey: "k").UnusableReason;

        Assert.Contains("CLOUDFLARE_ACCOUNT_ID", reason, StringComparison.Ordinal);
        Assert.Contains("api_base", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Endpoint_NoKey_UnusableNamingTheKeyVariable()
    {
        Assert.Contains("CLOUDFLARE_API_KEY", Endpoint(environment: new() { ["CLOUDFLARE_ACCOUNT_ID"] = "a" }).UnusableReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://gateway.example/v1/acc/gw/workers-ai/", "https://gateway.example/v1/acc/gw/workers-ai/@cf/meta/llama-3.1-8b-instruct")]
    [InlineData("https://api.cloudflare.com/client/v4/accounts/other/ai/run", "https://api.cloudflare.com/client/v4/accounts/other/ai/run/@cf/meta/llama-3.1-8b-instruct")]
    public void Endpoint_ApiBase_IsTheRunPrefixAccountNotNeeded(string apiBase, string expected)
    {
        var endpoint = Endpoint(apiBase, "k", new() { ["CLOUDFLARE_ACCOUNT_ID"] = "ignored" });

        Assert.Null(endpoint.UnusableReason);
        Assert.Equal(expected, Assert.IsType<CloudflareSettings>(endpoint.Settings).RunUri(endpoint.UpstreamModelTemplate).ToString());
    }

    [Fact]
    public void Endpoint_ApiBaseVariable_IsTheRunPrefix()
    {
        var endpoint = Endpoint(apiKey: "k", environment: new() { ["CLOUDFLARE_API_BASE"] = "http://127.0.0.1:9/client/v4/accounts/a/ai/run/" });

        Assert.Equal("http://127.0.0.1:9/client/v4/accounts/a/ai/run/@cf/meta/llama-3.1-8b-instruct",
            Assert.IsType<CloudflareSettings>(endpoint.Settings).RunUri(endpoint.UpstreamModelTemplate).ToString());
    }

    [Fact]
    public async Task CreateRequest_Chat_BearerKeyAndTranslatedBody()
    {
        var endpoint = Endpoint(apiKey: "cf-secret", environment: new() { ["CLOUDFLARE_ACCOUNT_ID"] = "acc" });

        using var request = await endpoint.Adapter.CreateRequestAsync(
            Call(endpoint, ProxyEndpointKind.ChatCompletions, """{"model":"g","messages":[{"role":"user","content":"Hi"}]}"""), CancellationToken.None);

        Assert.Equal("https://api.cloudflare.com/client/v4/accounts/acc/ai/run/@cf/meta/llama-3.1-8b-instruct", request.RequestUri!.ToString());
        Assert.Equal("Bearer cf-secret", request.Headers.Authorization!.ToString());
        Assert.Equal("""{"messages":[{"role":"user","content":"Hi"}]}""", JsonNode.Parse(await request.Content!.ReadAsStringAsync())!.ToJsonString());
    }

    [Theory]
    [InlineData("Embeddings", "/embeddings is not supported by provider cloudflare")]
    [InlineData("Completions", "/completions is not supported by provider cloudflare")]
    public async Task CreateRequest_NotChat_Refused(string kind, string message)
    {
        var endpoint = Endpoint(apiKey: "k", environment: new() { ["CLOUDFLARE_ACCOUNT_ID"] = "acc" });

        var exception = await Assert.ThrowsAsync<ProviderRequestException>(async () =>
            await endpoint.Adapter.CreateRequestAsync(Call(endpoint, Enum.Parse<ProxyEndpointKind>(kind), """{"model":"g","input":"x"}"""), CancellationToken.None));

        Assert.StartsWith(message, exception.Message, StringComparison.Ordinal);
    }
}
