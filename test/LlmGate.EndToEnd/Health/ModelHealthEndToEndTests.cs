using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Calls;
using LlmGate.EndToEnd.Calls;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.EndToEnd.Health;

/// <summary>
/// <c>GET /health</c> through the real gateway against one healthy, one failing and one hanging fake deployment, with
/// PagerDuty alerting on at a threshold of one failure: the checks are real calls, yet never a client's.
/// </summary>
public sealed class ModelHealthEndToEndTests : IAsyncLifetime
{
    private const string MasterKey = "sk-1234";
    private const string HealthyKey = "sk-healthy-0123456789abcdef";
    private const string FailingKey = "sk-failing-9876543210fedcba";
    private const string HangingKey = "sk-hanging-5555555555555555";
    private readonly RecordingCallObserver _observer = new();
    private FakeUpstream _healthy = null!;
    private FakeUpstream _failing = null!;
    private FakeUpstream _hanging = null!;
    private FakePagerDuty _pagerDuty = null!;
    private TestGateway _gateway = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _healthy = await FakeUpstream.StartAsync(HealthyKey);
        _failing = await FakeUpstream.StartAsync(FailingKey);
        _hanging = await FakeUpstream.StartAsync(HangingKey);
        _pagerDuty = await FakePagerDuty.StartAsync();
        _failing.FailWithStatus = 503;
        // A provider that echoes the key it was given: the gateway must not pass it on.
        _failing.ErrorMessage = $"Service unavailable for key {FailingKey}";
        _hanging.Hang = true;
        _gateway = await TestGateway.StartAsync($"""
            model_list:
              - {Deployment("gpt-4o", _healthy, "healthy")}
              - {Deployment("broken", _failing, "failing")}
              - {Deployment("slow", _hanging, "hanging", ", health_check_timeout: 0.5")}
            router_settings:
              num_retries: 0
            litellm_settings:
              callbacks: ["prometheus"]
            general_settings:
              master_key: {MasterKey}
              alerting: ["pagerduty"]
              alerting_args: {"{"}failure_threshold: 1, failure_threshold_window_seconds: 60{"}"}
            """,
            new Dictionary<string, string>
            {
                ["PAGERDUTY_API_KEY"] = "d8b0c1e2f3a4b5c6d7e8f9a0b1c2d3e4",
                ["PAGERDUTY_EVENTS_URL"] = _pagerDuty.EventsUrl.ToString(),
            },
            services => services.AddSingleton<ICallObserver>(_observer));
        _admin = Client(MasterKey);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _gateway.DisposeAsync();
        await _pagerDuty.DisposeAsync();
        await _hanging.DisposeAsync();
        await _failing.DisposeAsync();
        await _healthy.DisposeAsync();
    }

    [Fact]
    public async Task Health_MasterKey_OneHealthyTwoUnhealthyWithApiBaseAndErrors()
    {
        var (status, text) = await GetAsync(_admin, "/health");

        Assert.Equal(HttpStatusCode.OK, status);
        var body = JsonNode.Parse(text)!;
        Assert.Equal((1, 2), (body["healthy_count"]!.GetValue<int>(), body["unhealthy_count"]!.GetValue<int>()));
        var healthy = Assert.Single(body["healthy_endpoints"]!.AsArray())!;
        Assert.Equal(("openai/gpt-4o", "gpt-4o", "healthy", _healthy.ApiBase.ToString().TrimEnd('/')),
            (Text(healthy, "model"), Text(healthy, "model_name"), Text(healthy, "model_id"), Text(healthy, "api_base")));
        Assert.Null(healthy["error"]);
        var unhealthy = body["unhealthy_endpoints"]!.AsArray().ToDictionary(e => Text(e!, "model_id"), e => e!);
        Assert.Equal(["failing", "hanging"], unhealthy.Keys.Order());
        Assert.StartsWith("503 ", Text(unhealthy["failing"], "error"), StringComparison.Ordinal);
        Assert.Contains("Service unavailable", Text(unhealthy["failing"], "error"), StringComparison.Ordinal);
        Assert.Contains("timed out after 0.5 s", Text(unhealthy["hanging"], "error"), StringComparison.Ordinal);
        Assert.Equal(_failing.ApiBase.ToString().TrimEnd('/'), Text(unhealthy["failing"], "api_base"));
        Assert.DoesNotContain(FailingKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-failing", text, StringComparison.Ordinal);

        // The tiny request LiteLLM sends, once per deployment.
        var sent = JsonNode.Parse(Assert.Single(_healthy.Received).Body)!;
        Assert.Equal(("gpt-4o", "test from litellm", 5), (Text(sent, "model"), Text(sent["messages"]![0]!, "content"), sent["max_tokens"]!.GetValue<int>()));
        Assert.Single(_failing.Received);
        Assert.Single(_hanging.Received);
    }

    [Fact]
    public async Task Health_VirtualKey_SameCountsWithoutApiBaseOrError()
    {
        var key = JsonNode.Parse(await PostAsync(_admin, "/key/generate", "{}"))!["key"]!.GetValue<string>();
        using var client = Client(key);

        var (status, text) = await GetAsync(client, "/health");

        Assert.Equal(HttpStatusCode.OK, status);
        var body = JsonNode.Parse(text)!;
        Assert.Equal((1, 2), (body["healthy_count"]!.GetValue<int>(), body["unhealthy_count"]!.GetValue<int>()));
        var endpoints = body["healthy_endpoints"]!.AsArray().Concat(body["unhealthy_endpoints"]!.AsArray()).ToArray();
        Assert.All(endpoints, e => Assert.Equal(["model", "model_id", "model_name"], e!.AsObject().Select(p => p.Key).Order()));
        Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Service unavailable", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_VirtualKeyLimitedToOneModel_ChecksOnlyThatModel()
    {
        var key = JsonNode.Parse(await PostAsync(_admin, "/key/generate", """{"models": ["gpt-4o"]}"""))!["key"]!.GetValue<string>();
        using var client = Client(key);

        var (_, all) = await GetAsync(client, "/health");
        var (status, _) = await GetAsync(client, "/health?model=broken");

        Assert.Equal((1, 0), Counts(all));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Empty(_failing.Received);
        Assert.Empty(_hanging.Received);
    }

    [Fact]
    public async Task Health_ModelAndModelIdFilters_CheckOnlyThoseDeployments()
    {
        var (_, byModel) = await GetAsync(_admin, "/health?model=gpt-4o");
        var (_, byId) = await GetAsync(_admin, "/health?model_id=failing");
        var (_, byLitellmModel) = await GetAsync(_admin, "/health?model=openai/broken");

        Assert.Equal((1, 0), Counts(byModel));
        Assert.Equal("healthy", Text(JsonNode.Parse(byModel)!["healthy_endpoints"]![0]!, "model_id"));
        Assert.Equal((0, 1), Counts(byId));
        Assert.Equal("failing", Text(JsonNode.Parse(byId)!["unhealthy_endpoints"]![0]!, "model_id"));
        Assert.Equal((0, 1), Counts(byLitellmModel));
        Assert.Single(_healthy.Received);
        Assert.Equal(2, _failing.Received.Count);
        Assert.Empty(_hanging.Received);
    }

    [Theory]
    [InlineData("/health?model=no-such-model", "model")]
    [InlineData("/health?model_id=no-such-id", "model_id")]
    public async Task Health_UnknownModel_404InOpenAisShape(string path, string param)
    {
        var (status, text) = await GetAsync(_admin, path);

        Assert.Equal(HttpStatusCode.NotFound, status);
        var error = JsonNode.Parse(text)!["error"]!;
        Assert.Equal(("not_found_error", param, "404"), (Text(error, "type"), Text(error, "param"), Text(error, "code")));
        Assert.Empty(_healthy.Received);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/health/readiness/details")]
    public async Task ModelHealth_NoKey_401AndNoCallMade(string path)
    {
        using var anonymous = new HttpClient { BaseAddress = _gateway.BaseAddress };

        var (status, _) = await GetAsync(anonymous, path);
        var (readiness, _) = await GetAsync(anonymous, "/health/readiness");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(HttpStatusCode.OK, readiness);
        Assert.Empty(_healthy.Received);
    }

    [Fact]
    public async Task Health_FailingChecks_NoCallObservedNoAlertingFailureNoPage()
    {
        await GetAsync(_admin, "/health");
        await GetAsync(_admin, "/health");

        Assert.Equal(2, _failing.Received.Count);
        Assert.Empty(_observer.Events);
        var status = JsonNode.Parse(await _admin.GetStringAsync("/alerting/status"))!;
        Assert.Equal(0, FailureCount(status));
        Assert.Equal(0, status["in_flight"]!.GetValue<int>());

        // The same failure from a client's call counts, and pages at this threshold: the setup would have caught a leak.
        using var response = await _admin.PostAsync("/v1/chat/completions", new StringContent(
            """{"model":"broken","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, FailureCount(JsonNode.Parse(await _admin.GetStringAsync("/alerting/status"))!));
        await _pagerDuty.WaitForEventsAsync(1, TimeSpan.FromSeconds(10));
        Assert.Single(_observer.Ended);
    }

    [Fact]
    public async Task ReadinessDetails_Key_ReadinessFieldsWithCallbacksBackgroundFlagAndLastCheck()
    {
        var (_, before) = await GetAsync(_admin, "/health/readiness/details");
        await GetAsync(_admin, "/health?model=gpt-4o");
        var (status, after) = await GetAsync(_admin, "/health/readiness/details");

        Assert.Equal(HttpStatusCode.OK, status);
        var body = JsonNode.Parse(after)!;
        Assert.Equal("healthy", Text(body, "status"));
        Assert.NotNull(body["db"]);
        Assert.Equal(["prometheus"], body["success_callbacks"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.False(body["background_health_checks"]!.GetValue<bool>());
        Assert.Null(JsonNode.Parse(before)!["last_updated"]);
        Assert.True(DateTimeOffset.TryParse(Text(body, "last_updated"), System.Globalization.CultureInfo.InvariantCulture, out _));
    }

    private static int FailureCount(JsonNode status) =>
        status["windows"]!.AsArray().Single(w => w!["class"]!.GetValue<string>() == "llm_api_failure")!["count"]!.GetValue<int>();

    private static (int Healthy, int Unhealthy) Counts(string text)
    {
        var body = JsonNode.Parse(text)!;
        return (body["healthy_count"]!.GetValue<int>(), body["unhealthy_count"]!.GetValue<int>());
    }

    private static string Text(JsonNode node, string name) => node[name]!.GetValue<string>();

    private static string Deployment(string group, FakeUpstream upstream, string id, string modelInfo = "") =>
        "{model_name: " + group + ", litellm_params: {model: \"openai/" + group + "\", api_base: \"" + upstream.ApiBase + "\", api_key: " + upstream.ApiKey
        + "}, model_info: {id: " + id + modelInfo + "}}";

    private static async Task<(HttpStatusCode Status, string Text)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> PostAsync(HttpClient client, string path, string json)
    {
        using var response = await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}: {text}");
        return text;
    }

    private HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = _gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
