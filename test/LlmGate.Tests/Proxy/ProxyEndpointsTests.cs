using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Tests.Proxy;

public sealed class ProxyEndpointsTests
{
    private const string Config = """
        model_list:
          - model_name: m
            litellm_params: {model: openai/m, api_base: "http://127.0.0.1:9/v1", api_key: x}
        """;

    [Theory]
    [InlineData("/chat/completions")]
    [InlineData("/v1/chat/completions")]
    [InlineData("/v1/embeddings")]
    [InlineData("/v1/responses")]
    [InlineData("/v1/messages")]
    [InlineData("/anthropic/v1/messages")]
    [InlineData("/v2/rerank")]
    [InlineData("/openai/deployments/{model}/chat/completions")]
    public async Task MapLlmGateProxy_HandlerRoutes_SkipStatusCodePages(string pattern)
    {
        await using var gateway = await TestGateway.StartAsync(Config);

        var endpoint = gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Single(e => e.RoutePattern.RawText == pattern && e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("POST") == true);
        Assert.NotNull(endpoint.Metadata.GetMetadata<ISkipStatusCodePagesMetadata>());
    }

    [Fact]
    public async Task UnknownRoute_StillGetsTheErrorBodyOfTheStatusCodePages()
    {
        await using var gateway = await TestGateway.StartAsync(Config);
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };

        using var response = await http.GetAsync(new Uri("/v1/no-such-route", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found_error", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task ProxiedRoute_ErrorStillHasItsOwnBody()
    {
        await using var gateway = await TestGateway.StartAsync(Config);
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };

        using var response = await http.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative),
            new StringContent("""{"model":"unknown","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Invalid model name", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
