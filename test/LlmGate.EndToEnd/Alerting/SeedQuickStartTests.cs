using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Testing;

namespace LlmGate.EndToEnd.Alerting;

/// <summary>
/// The seed document's Quick Start, as written (its config, its two curl requests), against a fake OpenAI and a
/// strict fake PagerDuty on 127.0.0.1, on the real clock.
/// </summary>
public sealed class SeedQuickStartTests : IAsyncLifetime
{
    private const string RoutingKey = "d8b0c1e2f3a4b5c6d7e8f9a0b1c2d3e4";
    private const string OpenAiKey = "sk-openai-test-key";
    private FakeUpstream _upstream = null!;
    private FakePagerDuty _pagerDuty = null!;
    private TestGateway _gateway = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync(OpenAiKey);
        _pagerDuty = await FakePagerDuty.StartAsync();
        // The seed's config, with api_base added so that "OpenAI" is the fake on 127.0.0.1.
        _gateway = await TestGateway.StartAsync($"""
            model_list:
              - model_name: "openai/*"
                litellm_params:
                  model: "openai/*"
                  api_key: os.environ/OPENAI_API_KEY
                  api_base: {_upstream.ApiBase}

            general_settings:
              master_key: sk-1234
              alerting: ["pagerduty"]
              alerting_args:
                failure_threshold: 1 # Number of requests failing in a window
                failure_threshold_window_seconds: 10 # Window in seconds

                # Requests hanging threshold
                hanging_threshold_seconds: 0.0000001 # Number of seconds of waiting for a response before a request is considered hanging
                hanging_threshold_window_seconds: 10 # Window in seconds
            """, new Dictionary<string, string>
        {
            ["OPENAI_API_KEY"] = OpenAiKey,
            ["PAGERDUTY_API_KEY"] = RoutingKey,
            ["PAGERDUTY_EVENTS_URL"] = _pagerDuty.EventsUrl.ToString(),
        });
        _http = new HttpClient { BaseAddress = _gateway.BaseAddress };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk-1234");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _pagerDuty.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task QuickStart_BadThenOrdinaryRequest_OneFailureAndOneHangingIncident_EachResolvedOnce()
    {
        using var bad = await PostAsync("""
            {"model": "gpt-4o", "user": "hi", "messages": [{"role": "user", "bad_param": "i like coffee"}]}
            """);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        await _pagerDuty.WaitForEventsAsync(1, TimeSpan.FromSeconds(20));

        using var ordinary = await PostAsync("""
            {"model": "gpt-4o", "user": "hi", "messages": [{"role": "user", "content": "i like coffee"}]}
            """);
        Assert.Equal(HttpStatusCode.OK, ordinary.StatusCode);

        // Both incidents resolve once their 10-second windows have passed quietly.
        await _pagerDuty.WaitForEventsAsync(4, TimeSpan.FromSeconds(60));

        var events = _pagerDuty.Events;
        Assert.Equal(4, events.Count);
        var triggers = events.Where(e => e.EventAction == "trigger").ToArray();
        Assert.Equal(2, triggers.Length);
        var failure = Assert.Single(triggers, t => Class(t) == "llm_api_failure");
        var hanging = Assert.Single(triggers, t => Class(t) == "llm_request_hanging");
        Assert.StartsWith("High LLM API Failure Rate: 1 in the last 10 seconds.", failure.Summary, StringComparison.Ordinal);
        Assert.StartsWith("High Number of Hanging LLM Requests: ", hanging.Summary, StringComparison.Ordinal);
        foreach (var trigger in triggers)
        {
            var resolves = events.Where(e => e.EventAction == "resolve" && e.DedupKey == trigger.DedupKey).ToArray();
            Assert.Single(resolves);
            Assert.True(IndexOf(events, trigger) < IndexOf(events, resolves[0]), "a resolve arrived before its trigger");
            Assert.Equal(RoutingKey, resolves[0].RoutingKey);
        }

        Assert.All(events, e => Assert.DoesNotContain(OpenAiKey, e.RawBody, StringComparison.Ordinal));
        Assert.All(events, e => Assert.DoesNotContain("i like coffee", e.RawBody, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Requests_RefusedByGatewayAuth_NeverCount()
    {
        using var anonymous = new HttpClient { BaseAddress = _gateway.BaseAddress };
        for (var i = 0; i < 5; i++)
        {
            using var response = await anonymous.PostAsync("/chat/completions",
                new StringContent("""{"model": "gpt-4o", "messages": [{"role": "user", "bad_param": "x"}]}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var statusResponse = await _http.GetAsync("/alerting/status");
        var status = JsonNode.Parse(await statusResponse.Content.ReadAsStringAsync())!;
        using var anonymousStatus = await anonymous.GetAsync("/alerting/status");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymousStatus.StatusCode);
        Assert.True(status["enabled"]!.GetValue<bool>());
        Assert.All(status["windows"]!.AsArray(), window => Assert.Equal(0, window!["count"]!.GetValue<int>()));
        Assert.Empty(_upstream.Received);
    }

    private Task<HttpResponseMessage> PostAsync(string json) =>
        _http.PostAsync("/chat/completions", new StringContent(json, Encoding.UTF8, "application/json"));

    private static string? Class(FakePagerDutyEvent e) => e.Body.GetProperty("payload").GetProperty("class").GetString();

    private static int IndexOf(IReadOnlyList<FakePagerDutyEvent> events, FakePagerDutyEvent target) =>
        events.Select((e, i) => (e, i)).First(p => ReferenceEquals(p.e, target)).i;
}
