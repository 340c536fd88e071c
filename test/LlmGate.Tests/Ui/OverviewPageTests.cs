using System.Net;
using LlmGate.Testing;

namespace LlmGate.Tests.Ui;

public sealed class OverviewPageTests
{
    private const string MasterKey = "sk-console-overview-71aa";

    private const string Yaml = $$"""
        model_list:
          - model_name: gpt-4o
            litellm_params: {model: openai/gpt-4o, api_key: sk-unused, rpm: 600}
            model_info: {id: d-one}
        general_settings:
          master_key: {{MasterKey}}
        """;

    [Theory]
    [InlineData("console.css", "text/css")]
    [InlineData("console.js", "text/javascript")]
    public async Task Assets_Known_ServedWithTypeCacheAndETag(string name, string mediaType)
    {
        await using var gateway = await TestGateway.StartAsync(Yaml);
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };

        using var asset = await http.GetAsync(new Uri("ui/assets/" + name, UriKind.Relative));
        using var again = new HttpRequestMessage(HttpMethod.Get, new Uri("ui/assets/" + name, UriKind.Relative));
        again.Headers.IfNoneMatch.Add(asset.Headers.ETag!);
        using var revalidated = await http.SendAsync(again);
        using var unknown = await http.GetAsync(new Uri("ui/assets/secrets.txt", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal(mediaType, asset.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=3600", asset.Headers.CacheControl?.ToString());
        Assert.True((await asset.Content.ReadAsByteArrayAsync()).Length > 500);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Overview_SignedIn_DeploymentWithHealthTextAndStrictCsp()
    {
        await using var gateway = await TestGateway.StartAsync(Yaml);
        using var client = new UiTestClient(gateway);
        using (await client.SignInAsync(MasterKey))
        {
        }

        using var overview = await client.Http.GetAsync(new Uri("ui", UriKind.Relative));
        var html = await overview.Content.ReadAsStringAsync();
        var deployments = await client.Http.GetStringAsync(new Uri("ui/deployments", UriKind.Relative));

        Assert.Contains("data-deployment=\"d-one\" data-health=\"healthy\"", html, StringComparison.Ordinal);
        Assert.Contains(">Healthy<", html, StringComparison.Ordinal);
        Assert.Contains("aria-live=\"polite\"", html, StringComparison.Ordinal);
        Assert.Contains("<polyline", html, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", overview.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("<tr data-deployment=\"d-one\" data-health=\"healthy\">", deployments, StringComparison.Ordinal);
        Assert.Contains(">600<", deployments, StringComparison.Ordinal); // rpm limit from the config
    }
}
