using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Configuration;
using LlmGate.OpenAi;
using LlmGate.Providers;
using LlmGate.Providers.Cohere;
using LlmGate.Routing;

namespace LlmGate.Tests.Providers.Cohere;

public sealed class CohereEndpointTests
{
    private static readonly ProviderAdapters Adapters = ProviderAdapters.CreateDefault(TimeProvider.System);

    private static ProviderEndpoint Endpoint(string model, string? apiBase = null, string? apiKey = null, Dictionary<string, string>? environment = null) =>
        new(new DeploymentConfig { ModelName = "m", Model = model, Id = "d", ApiBase = apiBase, ApiKey = apiKey }, Adapters, name => environment?.GetValueOrDefault(name));

    private static ProviderCall Call(ProviderEndpoint endpoint, ProxyEndpointKind kind, string body, string model)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        return new ProviderCall(kind, "g", "d", endpoint, bytes, RequestBodyInspector.Inspect(bytes, null), model);
    }

    [Theory]
    [InlineData("cohere/command-r-plus")]
    [InlineData("cohere_chat/command-a-03-2025")]
    public void Endpoint_Defaults_CohereV2WithKeyFromCohereThenCoVariable(string model)
    {
        var both = Endpoint(model, environment: new() { ["COHERE_API_KEY"] = "cohere-key", ["CO_API_KEY"] = "co-key" });
        var coOnly = Endpoint(model, environment: new() { ["CO_API_KEY"] = "co-key" });

        Assert.IsType<CohereAdapter>(both.Adapter);
        Assert.Null(both.UnusableReason);
        Assert.Equal(("cohere-key", "co-key"), (both.ApiKey, coOnly.ApiKey));
        var settings = Assert.IsType<CohereSettings>(both.Settings);
        Assert.Equal(("https://api.cohere.com/v2/chat", "https://api.cohere.com/v2/embed"), (settings.ChatUri.ToString(), settings.EmbedUri.ToString()));
        Assert.Equal("https://api.cohere.com/v2/chat", both.PublicApiBase);
    }

    [Fact]
    public void Endpoint_NoKey_UnusableNamingBothVariables()
    {
        var reason = Endpoint("cohere/command-r").UnusableReason;

        Assert.Contains("COHERE_API_KEY", reason, StringComparison.Ordinal);
        Assert.Contains("CO_API_KEY", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://proxy.example/cohere/v2/chat", "https://proxy.example/cohere")]
    [InlineData("https://proxy.example/cohere/v2/chat/", "https://proxy.example/cohere")]
    [InlineData("https://proxy.example/cohere/v2", "https://proxy.example/cohere")]
    [InlineData("https://proxy.example/cohere", "https://proxy.example/cohere")]
    [InlineData("https://api.cohere.com", "https://api.cohere.com")]
    [InlineData("https://proxy.example/v2/embed", "https://proxy.example")]
    public void Settings_ApiBaseForms_ChatAndEmbedUnderOneRoot(string apiBase, string root)
    {
        var settings = Assert.IsType<CohereSettings>(Endpoint("cohere/command-r", apiBase, "k").Settings);

        Assert.Equal((root + "/v2/chat", root + "/v2/embed"), (settings.ChatUri.ToString(), settings.EmbedUri.ToString()));
    }

    [Fact]
    public void Settings_ApiBaseVariable_Used()
    {
        var settings = Assert.IsType<CohereSettings>(Endpoint("cohere/command-r", apiKey: "k", environment: new() { ["COHERE_API_BASE"] = "http://10.0.0.9:8080" }).Settings);

        Assert.Equal("http://10.0.0.9:8080/v2/chat", settings.ChatUri.ToString());
    }

    [Fact]
    public void Endpoint_V1Model_UnusableNamingV1()
    {
        var endpoint = Endpoint("cohere_chat/v1/command-r", apiKey: "k");

        Assert.Contains("Cohere's v1 chat API", endpoint.UnusableReason, StringComparison.Ordinal);
        Assert.Contains("without 'v1/'", endpoint.UnusableReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateRequest_Chat_BearerKeyToV2ChatWithTranslatedBody()
    {
        var endpoint = Endpoint("cohere/command-r", "https://api.cohere.com", "co-secret");

        using var request = await endpoint.Adapter.CreateRequestAsync(
            Call(endpoint, ProxyEndpointKind.ChatCompletions, """{"model":"g","stream":true,"messages":[{"role":"user","content":"Hi"}]}""", "command-r"), CancellationToken.None);

        Assert.Equal((HttpMethod.Post, "https://api.cohere.com/v2/chat"), (request.Method, request.RequestUri!.ToString()));
        Assert.Equal("Bearer co-secret", request.Headers.Authorization!.ToString());
        Assert.Equal("application/json", request.Content!.Headers.ContentType!.MediaType);
        var body = JsonNode.Parse(await request.Content.ReadAsStringAsync())!;
        Assert.Equal(("command-r", true), (body["model"]!.GetValue<string>(), body["stream"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task CreateRequest_Embeddings_V2Embed()
    {
        var endpoint = Endpoint("cohere/embed-english-v3.0", apiKey: "k");

        using var request = await endpoint.Adapter.CreateRequestAsync(Call(endpoint, ProxyEndpointKind.Embeddings, """{"model":"g","input":"x"}""", "embed-english-v3.0"), CancellationToken.None);

        Assert.Equal("https://api.cohere.com/v2/embed", request.RequestUri!.ToString());
        Assert.Equal("embed-english-v3.0", JsonNode.Parse(await request.Content!.ReadAsStringAsync())!["model"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Completions", "command-r", "/completions is not supported by provider cohere")]
    [InlineData("ChatCompletions", "v1/command-r", "Cohere's v1 chat API")]
    public async Task CreateRequest_WhatCohereV2CannotServe_Refused(string kind, string model, string message)
    {
        var endpoint = Endpoint("cohere/*", apiKey: "k");

        var exception = await Assert.ThrowsAsync<ProviderRequestException>(async () =>
            await endpoint.Adapter.CreateRequestAsync(Call(endpoint, Enum.Parse<ProxyEndpointKind>(kind), """{"model":"x","prompt":"Hi","messages":[{"role":"user","content":"Hi"}]}""", model), CancellationToken.None));

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("command-r-plus", "cohere")]
    [InlineData("command-a-03-2025", "cohere")]
    [InlineData("cohere_chat/command-r", "cohere_chat")]
    public void Split_CommandModels_Cohere(string model, string provider) =>
        Assert.Equal(provider, ProviderCatalog.Split(model).Provider);

    [Fact]
    public void RouteTable_BareCommandModel_MatchesCohereGroupThenCohereChat()
    {
        static DeploymentConfig Group(string name, string id) => new() { ModelName = name, Model = name, Id = id, ApiKey = "k" };
        var both = new RouteTable([Group("cohere_chat/*", "cc"), Group("cohere/*", "c")], Adapters, _ => null);
        var chatOnly = new RouteTable([Group("cohere_chat/*", "cc")], Adapters, _ => null);

        Assert.True(both.TryResolve("command-r-plus", out var match));
        Assert.Equal("cohere/*", match.Group.Name);
        Assert.True(chatOnly.TryResolve("command-r-plus", out match));
        Assert.Equal("cohere_chat/*", match.Group.Name);
        Assert.Equal(["cohere", "cohere_chat"], ProviderCatalog.InferProviders("command-r7b-12-2024"));
    }
}
