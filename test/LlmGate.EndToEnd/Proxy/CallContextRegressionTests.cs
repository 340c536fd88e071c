using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Alerting;
using LlmGate.Providers;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.EndToEnd.Proxy;

/// <summary>
/// The four bugs the call context was built to end, each through the real gateway: a call that stayed in flight for
/// ever, a failure blamed on the wrong deployment, an upstream's x-litellm-* headers reaching the client, and a
/// client's unknown model cooling a wildcard deployment down for everyone.
/// </summary>
public sealed class CallContextRegressionTests : IAsyncLifetime
{
    private const string MasterKey = "sk-1234";
    private readonly List<IAsyncDisposable> _disposables = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _disposables.Count - 1; i >= 0; i--)
        {
            await _disposables[i].DisposeAsync();
        }
    }

    [Fact]
    public async Task AdapterThrowsUnexpectedException_CallEndsFailedAndNothingStaysInFlight()
    {
        var upstream = await UpstreamAsync();
        var gateway = await GatewayAsync($"""
            model_list:
              - {Deployment("gpt-4o", upstream, "d1")}
            general_settings:
              master_key: {MasterKey}
              alerting: ["pagerduty"]
              alerting_args:
                failure_threshold: 100
            """, await PagerDutyAsync(), services => services.AddSingleton<IProviderAdapter, ThrowingAdapter>());
        using var http = Http(gateway);

        using var response = await PostAsync(http, "gpt-4o");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain("ThrowingAdapter", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var registry = gateway.Services.GetRequiredService<InFlightRegistry>();
        Assert.Equal(0, registry.Count);
        var status = JsonNode.Parse(await http.GetStringAsync("/alerting/status"))!;
        Assert.Equal(0, status["in_flight"]!.GetValue<int>());
        var failures = Window(status, "llm_api_failure");
        Assert.Equal(1, failures["count"]!.GetValue<int>());
        Assert.Empty(upstream.Received);
    }

    [Fact]
    public async Task FailureAfterRetryOnAnotherDeployment_PageNamesTheDeploymentThatFailedLast()
    {
        var first = await UpstreamAsync();
        var second = await UpstreamAsync();
        first.FailWithStatus = 500;
        second.FailWithStatus = 502;
        var pagerDuty = await PagerDutyAsync();
        var gateway = await GatewayAsync($"""
            model_list:
              - {Deployment("gpt-4o", first, "first")}
              - {Deployment("gpt-4o", second, "second")}
            router_settings:
              num_retries: 1
              disable_cooldowns: true
            general_settings:
              master_key: {MasterKey}
              alerting: ["pagerduty"]
              alerting_args:
                failure_threshold: 1
            """, pagerDuty);
        using var http = Http(gateway);

        using var response = await PostAsync(http, "gpt-4o");

        // The retry went to the other deployment; whichever came second is the one the client's error came from.
        Assert.Equal((1, 1), (first.Received.Count, second.Received.Count));
        var last = Header(response, "x-litellm-model-id");
        var triedFirst = last == "first" ? "second" : "first";
        Assert.Equal(last == "first" ? HttpStatusCode.InternalServerError : HttpStatusCode.BadGateway, response.StatusCode);
        await pagerDuty.WaitForEventsAsync(1, TimeSpan.FromSeconds(10));
        var details = pagerDuty.Events[0].Body.GetProperty("payload").GetProperty("custom_details");
        var byDeployment = details.GetProperty("by_deployment");
        Assert.Equal(1, byDeployment.GetProperty(last).GetInt32());
        Assert.False(byDeployment.TryGetProperty(triedFirst, out _), $"the page blames {triedFirst}, which was only tried first");
    }

    [Fact]
    public async Task UpstreamSendsItsOwnLiteLlmHeaders_ClientSeesOnlyTheGatewaysOwn()
    {
        var upstream = await UpstreamAsync();
        upstream.ExtraResponseHeaders["x-litellm-model-id"] = "upstream-hop-id";
        upstream.ExtraResponseHeaders["x-litellm-response-cost"] = "0.5";
        upstream.ExtraResponseHeaders["x-request-id"] = "req_123";
        var gateway = await GatewayAsync($"""
            model_list:
              - {Deployment("gpt-4o", upstream, "ours")}
            general_settings:
              master_key: {MasterKey}
            """);
        using var http = Http(gateway);

        foreach (var stream in new[] { false, true })
        {
            using var response = await PostAsync(http, "gpt-4o", stream);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("ours", Header(response, "x-litellm-model-id"));
            Assert.False(response.Headers.Contains("x-litellm-response-cost"));
            Assert.Equal("req_123", Header(response, "x-request-id"));
        }
    }

    [Fact]
    public async Task SixUnknownModelsThroughWildcard_OtherModelsStillServed()
    {
        var upstream = await UpstreamAsync();
        var gateway = await GatewayAsync($"""
            model_list:
              - model_name: "openai/*"
                litellm_params:
                  model: "openai/*"
                  api_base: "{upstream.ApiBase}"
                  api_key: sk-upstream
            router_settings:
              allowed_fails: 1
              cooldown_time: 60
            general_settings:
              master_key: {MasterKey}
            """);
        using var http = Http(gateway);

        upstream.FailWithStatus = 404;
        upstream.ErrorCode = "model_not_found";
        upstream.ErrorMessage = "The model `gpt-nope` does not exist or you do not have access to it.";
        for (var i = 0; i < 6; i++)
        {
            using var missing = await PostAsync(http, "gpt-nope");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        upstream.FailWithStatus = null;
        using var served = await PostAsync(http, "gpt-4o-mini");

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(7, upstream.Received.Count);
    }

    [Fact]
    public async Task OnlyDeploymentOfGroupFailsRepeatedly_NeverCooledDownAndFailuresStillCounted()
    {
        var upstream = await UpstreamAsync();
        upstream.FailWithStatus = 503;
        var gateway = await GatewayAsync($"""
            model_list:
              - {Deployment("gpt-4o", upstream, "only")}
            router_settings:
              num_retries: 0
              allowed_fails: 0
              cooldown_time: 60
            general_settings:
              master_key: {MasterKey}
              alerting: ["pagerduty"]
              alerting_args:
                failure_threshold: 100
            """, await PagerDutyAsync());
        using var http = Http(gateway);

        for (var i = 0; i < 3; i++)
        {
            using var failed = await PostAsync(http, "gpt-4o");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        }

        upstream.FailWithStatus = null;
        using var served = await PostAsync(http, "gpt-4o");

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(4, upstream.Received.Count);
        var status = JsonNode.Parse(await http.GetStringAsync("/alerting/status"))!;
        Assert.Equal(3, Window(status, "llm_api_failure")["count"]!.GetValue<int>());
    }

    private static JsonNode Window(JsonNode status, string name) =>
        status["windows"]!.AsArray().Single(w => w!["class"]!.GetValue<string>() == name)!;

    private static string Deployment(string modelName, FakeUpstream upstream, string id) =>
        "{model_name: " + modelName + ", litellm_params: {model: \"openai/" + modelName + "\", api_base: \"" + upstream.ApiBase
        + "\", api_key: sk-upstream}, model_info: {id: " + id + "}}";

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : throw new Xunit.Sdk.XunitException($"no {name} header");

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string model, bool stream = false) =>
        http.PostAsync("/v1/chat/completions", new StringContent(
            $$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));

    private static HttpClient Http(TestGateway gateway)
    {
        var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
        return http;
    }

    private async Task<FakeUpstream> UpstreamAsync()
    {
        var upstream = await FakeUpstream.StartAsync();
        _disposables.Add(upstream);
        return upstream;
    }

    private async Task<FakePagerDuty> PagerDutyAsync()
    {
        var pagerDuty = await FakePagerDuty.StartAsync();
        _disposables.Add(pagerDuty);
        return pagerDuty;
    }

    private async Task<TestGateway> GatewayAsync(string yaml, FakePagerDuty? pagerDuty = null, Action<IServiceCollection>? configureServices = null)
    {
        var environment = pagerDuty is null ? null : new Dictionary<string, string>
        {
            ["PAGERDUTY_API_KEY"] = "d8b0c1e2f3a4b5c6d7e8f9a0b1c2d3e4",
            ["PAGERDUTY_EVENTS_URL"] = pagerDuty.EventsUrl.ToString(),
        };
        var gateway = await TestGateway.StartAsync(yaml, environment, configureServices);
        _disposables.Add(gateway);
        return gateway;
    }
}
