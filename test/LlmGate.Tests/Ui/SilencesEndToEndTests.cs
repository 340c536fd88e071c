using System.Net;
using LlmGate.Alerting.Silences;
using LlmGate.Testing;
using LlmGate.Tests.Alerting.Silences;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Tests.Ui;

/// <summary>The Silences, Incidents and Config pages through the real gateway, signed in at /ui/login like a browser.</summary>
public sealed class SilencesEndToEndTests : IAsyncLifetime
{
    private const string MasterKey = "sk-master-silences-5150"; // SilenceApiTests.Yaml's
    private FakePagerDuty _pagerDuty = null!;
    private TestGateway _gateway = null!;
    private UiTestClient _client = null!;

    public async Task InitializeAsync()
    {
        _pagerDuty = await FakePagerDuty.StartAsync();
        _gateway = await TestGateway.StartAsync(SilenceApiTests.Yaml(alerting: true), SilenceApiTests.Environment(_pagerDuty));
        _client = new UiTestClient(_gateway);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
        await _pagerDuty.DisposeAsync();
    }

    private async Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, string> fields, string tokenFrom = "ui/silences")
    {
        fields["__csrf"] = await _client.TokenAsync(tokenFrom);
        using var content = new FormUrlEncodedContent(fields);
        return await _client.Http.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    [Fact]
    public async Task Pages_NotSignedIn_RedirectedToLogin()
    {
        foreach (var page in new[] { "ui/incidents", "ui/silences", "ui/keys", "ui/config" })
        {
            using var response = await _client.Http.GetAsync(new Uri(page, UriKind.Relative));
            Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther, page);
            Assert.Contains("/ui/login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CreateThenExpire_SignedIn_SeeOtherAndStoreChanged()
    {
        (await _client.SignInAsync(MasterKey)).Dispose();

        using var created = await PostAsync("ui/silences", new()
        {
            ["matcher_name_0"] = "class", ["matcher_op_0"] = "=", ["matcher_value_0"] = "llm_api_failure",
            ["duration"] = "2h", ["comment"] = "planned failover",
        });

        Assert.Equal(HttpStatusCode.SeeOther, created.StatusCode);
        Assert.Equal("/ui/silences?status=silence-created", created.Headers.Location!.OriginalString);
        var store = _gateway.Services.GetRequiredService<SilenceStore>();
        var silence = Assert.Single(store.Current);
        Assert.Equal("admin", silence.CreatedBy); // the signed-in name: the master key signs in as admin
        Assert.Equal("planned failover", silence.Comment);

        var page = await _client.Http.GetStringAsync(new Uri("ui/silences?status=silence-created", UriKind.Relative));
        Assert.Contains($"data-silence=\"{silence.Id}\" data-state=\"active\"", page, StringComparison.Ordinal);
        Assert.Contains("Silence created.", page, StringComparison.Ordinal);

        using var expired = await PostAsync($"ui/silences/{silence.Id}/expire", []);

        Assert.Equal(HttpStatusCode.SeeOther, expired.StatusCode);
        Assert.Equal(SilenceState.Expired, store.Find(silence.Id)!.StateAt(DateTimeOffset.UtcNow.AddSeconds(1)));
    }

    [Fact]
    public async Task Create_InvalidDuration_400WithAlertAndNothingStored()
    {
        (await _client.SignInAsync(MasterKey)).Dispose();

        using var response = await PostAsync("ui/silences", new()
        {
            ["matcher_name_0"] = "class", ["matcher_op_0"] = "=", ["matcher_value_0"] = "llm_api_failure",
            ["duration"] = "soon", ["comment"] = "kept comment",
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
        Assert.Contains("kept comment</textarea>", html, StringComparison.Ordinal);
        Assert.Empty(_gateway.Services.GetRequiredService<SilenceStore>().Current);
    }

    [Fact]
    public async Task Create_WithoutCsrfToken_400AndNothingStored()
    {
        (await _client.SignInAsync(MasterKey)).Dispose();
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["matcher_name_0"] = "class", ["matcher_value_0"] = "llm_api_failure", ["duration"] = "2h", ["comment"] = "c",
        });

        using var response = await _client.Http.PostAsync(new Uri("ui/silences", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_gateway.Services.GetRequiredService<SilenceStore>().Current);
    }

    [Fact]
    public async Task IncidentsAndConfig_SignedIn_RenderedNoStoreWithoutSecrets()
    {
        (await _client.SignInAsync(MasterKey)).Dispose();

        foreach (var page in new[] { "ui/incidents", "ui/config" })
        {
            using var response = await _client.Http.GetAsync(new Uri(page, UriKind.Relative));
            var html = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            Assert.DoesNotContain(MasterKey, html, StringComparison.Ordinal);
            Assert.DoesNotContain(SilenceApiTests.Environment(_pagerDuty)["PAGERDUTY_API_KEY"], html, StringComparison.Ordinal);
        }

        var config = await _client.Http.GetStringAsync(new Uri("ui/config", UriKind.Relative));
        Assert.Contains("id=\"effective-config\"", config, StringComparison.Ordinal);
        Assert.Contains("id=\"config-warnings\"", config, StringComparison.Ordinal);
    }
}
