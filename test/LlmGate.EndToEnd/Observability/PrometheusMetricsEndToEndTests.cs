using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenAI;
using OpenAI.Chat;

namespace LlmGate.EndToEnd.Observability;

/// <summary>
/// <c>/metrics</c> after real traffic through the gateway (successes, a stream, retries, a cooldown, fallbacks that
/// answer and fail): LiteLLM's names, types, labels and values, read back from the exposition text.
/// </summary>
public sealed class PrometheusMetricsEndToEndTests : IAsyncLifetime
{
    private const string MasterKey = "sk-metrics-master-1234";
    private readonly List<IAsyncDisposable> _disposables = [];
    private readonly WatchedTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _disposables.Count - 1; i >= 0; i--)
        {
            await _disposables[i].DisposeAsync();
        }
    }

    [Fact]
    public async Task Metrics_AfterSuccessStreamRetryCooldownAndFallbacks_CountEachWithLiteLlmNamesAndLabels()
    {
        var good = await UpstreamAsync("sk-good-upstream-key");
        good.ExtraResponseHeaders["x-ratelimit-remaining-requests"] = "99";
        good.ExtraResponseHeaders["x-ratelimit-remaining-tokens"] = "9000";
        var bad = await UpstreamAsync("sk-bad-upstream-key");
        bad.FailWithStatus = 500;
        var down = await UpstreamAsync("sk-down-upstream-key");
        down.FailWithStatus = 503;
        var gateway = await GatewayAsync($"""
            model_list:
              - {Deployment("gpt-4o", good, "good")}
              - {Deployment("gpt-4o", bad, "bad")}
              - {Deployment("broken", down, "broken-dep", numRetries: 0)}
              - {Deployment("broken2", down, "broken2-dep", numRetries: 0)}
            router_settings:
              num_retries: 1
              allowed_fails: 1
              cooldown_time: 30
              fallbacks:
                - broken: ["gpt-4o"]
                - broken2: ["broken"]
            litellm_settings:
              callbacks: ["prometheus"]
            general_settings:
              master_key: {MasterKey}
            """);
        using var http = Http(gateway);
        var chat = new ChatClient("gpt-4o", new ApiKeyCredential(MasterKey), new OpenAIClientOptions { Endpoint = new Uri(gateway.BaseAddress, "v1") });

        // Until the bad deployment has failed twice (more than allowed_fails) and cooled down; each retried on the good one.
        var plainCalls = 0;
        for (; plainCalls < 100 && bad.Received.Count < 2; plainCalls++)
        {
            ChatCompletion answer = await chat.CompleteChatAsync([new UserChatMessage("hi")]);
            Assert.Equal(ChatFinishReason.Stop, answer.FinishReason);
        }

        Assert.Equal(2, bad.Received.Count);
        var streamed = new StringBuilder();
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("stream please")]))
        {
            streamed.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
        }

        Assert.NotEmpty(streamed.ToString());
        using (var fellBack = await PostAsync(http, "broken"))
        {
            Assert.Equal(HttpStatusCode.OK, fellBack.StatusCode);
        }

        using (var failed = await PostAsync(http, "broken2"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        }

        var text = await http.GetStringAsync("/metrics");
        var metrics = PrometheusText.Parse(text);

        Assert.Equal("counter", metrics.Types["litellm_proxy_total_requests_metric_total"]);
        Assert.Equal("histogram", metrics.Types["litellm_request_total_latency_metric"]);
        Assert.Equal("gauge", metrics.Types["litellm_deployment_state"]);
        Assert.Equal(plainCalls + 1, metrics.Sum("litellm_proxy_total_requests_metric_total",
            ("requested_model", "gpt-4o"), ("status_code", "200"), ("route", "/v1/chat/completions"), ("hashed_api_key", "master_key"), ("model_id", "good")));
        Assert.Equal(1, metrics.Sum("litellm_proxy_total_requests_metric_total", ("requested_model", "broken"), ("status_code", "200")));
        Assert.Equal(1, metrics.Sum("litellm_proxy_failed_requests_metric_total",
            ("requested_model", "broken2"), ("exception_status", "503"), ("exception_class", "ServiceUnavailableError")));
        Assert.Equal(0, metrics.Sum("litellm_proxy_failed_requests_metric_total", ("requested_model", "gpt-4o")));

        // Deployments: every attempt counts, the retried failures too.
        Assert.Equal(2, metrics.Sum("litellm_deployment_failure_responses_total", ("model_id", "bad"), ("exception_status", "500"), ("exception_class", "InternalServerError")));
        Assert.Equal(plainCalls + 2, metrics.Sum("litellm_deployment_success_responses_total", ("model_id", "good"), ("api_provider", "openai")));
        Assert.Equal(plainCalls + 4, metrics.Sum("litellm_deployment_total_requests_total", ("model_id", "good")) + metrics.Sum("litellm_deployment_total_requests_total", ("model_id", "bad")));
        Assert.Equal(1, metrics.Sum("litellm_deployment_cooled_down_total", ("model_id", "bad"), ("exception_status", "500"), ("litellm_model_name", "openai/gpt-4o")));
        Assert.Equal(2, metrics.Sum("litellm_deployment_state", ("model_id", "bad")));
        Assert.Equal(0, metrics.Sum("litellm_deployment_state", ("model_id", "good")));
        Assert.Equal(1, metrics.Sum("litellm_deployment_state", ("model_id", "broken-dep")));
        Assert.Equal(good.ApiBase.ToString().TrimEnd('/'), metrics.Where("litellm_deployment_state", ("model_id", "good")).Single().Labels["api_base"]);

        // Fallbacks: broken → gpt-4o answered; broken2 → broken failed too.
        Assert.Equal(1, metrics.Sum("litellm_deployment_successful_fallbacks_total",
            ("requested_model", "broken"), ("fallback_model", "gpt-4o"), ("exception_status", "503"), ("exception_class", "ServiceUnavailableError"))); // what sent it there
        Assert.Equal(1, metrics.Sum("litellm_deployment_failed_fallbacks_total",
            ("requested_model", "broken2"), ("fallback_model", "broken"), ("exception_status", "503")));

        // The provider's rate-limit headers, tokens from usage, latency histograms with LiteLLM's buckets.
        Assert.Equal(99, metrics.Sum("litellm_remaining_requests_metric", ("model_id", "good"), ("model_group", "gpt-4o")));
        Assert.Equal(9000, metrics.Sum("litellm_remaining_tokens_metric", ("model_id", "good"), ("model_group", "gpt-4o")));
        Assert.Equal((plainCalls * 5) + 5, metrics.Sum("litellm_input_tokens_metric_total", ("requested_model", "gpt-4o"), ("model_id", "good")));
        Assert.Equal((plainCalls * 6) + 4, metrics.Sum("litellm_output_tokens_metric_total", ("requested_model", "gpt-4o"), ("model_id", "good")));
        Assert.Equal((plainCalls * 11) + 9, metrics.Sum("litellm_total_tokens_metric_total", ("requested_model", "gpt-4o"), ("model_id", "good")));
        Assert.Equal(1, metrics.Sum("litellm_llm_api_time_to_first_token_metric_count", ("model_id", "good")));
        Assert.Equal(plainCalls + 1, metrics.Sum("litellm_request_total_latency_metric_count", ("requested_model", "gpt-4o")));
        // Overhead is labelled by the deployment's own group: the fallback gpt-4o answered for "broken" counts there.
        Assert.Equal(plainCalls + 2, metrics.Sum("litellm_overhead_latency_metric_count", ("model_group", "gpt-4o")));
        var buckets = metrics.Where("litellm_request_total_latency_metric_bucket", ("requested_model", "gpt-4o"), ("model_id", "good"))
            .Select(s => s.Labels["le"]).ToArray();
        Assert.Equal(["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2", "5", "10", "30", "60", "120", "300", "420", "600", "+Inf"], buckets);
        Assert.Equal(0, metrics.Sum("litellm_in_flight_requests"));

        foreach (var secret in (string[])[MasterKey, good.ApiKey, bad.ApiKey, down.ApiKey, "stream please"])
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RemainingGauges_FromAnthropicsRateLimitHeaders_WhenTheOpenAiOnesAreAbsent()
    {
        var upstream = await UpstreamAsync("sk-upstream-key");
        upstream.ExtraResponseHeaders["anthropic-ratelimit-requests-remaining"] = "41";
        upstream.ExtraResponseHeaders["anthropic-ratelimit-tokens-remaining"] = "7000";
        var gateway = await GatewayAsync($"""
            model_list:
              - {Deployment("claude", upstream, "one", numRetries: 0)}
            litellm_settings:
              callbacks: ["prometheus"]
            general_settings:
              master_key: {MasterKey}
            """);
        using var http = Http(gateway);

        using (var answered = await PostAsync(http, "claude"))
        {
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }

        var metrics = PrometheusText.Parse(await http.GetStringAsync("/metrics"));
        Assert.Equal(41, metrics.Sum("litellm_remaining_requests_metric", ("model_id", "one")));
        Assert.Equal(7000, metrics.Sum("litellm_remaining_tokens_metric", ("model_id", "one")));
    }

    [Fact]
    public async Task WildcardGroup_RequestedModelIsTheModelAskedForAsInLiteLlm()
    {
        var upstream = await UpstreamAsync("sk-upstream-key");
        var gateway = await GatewayAsync($$"""
            model_list:
              - model_name: "openai/*"
                litellm_params: {model: "openai/*", api_base: "{{upstream.ApiBase}}", api_key: {{upstream.ApiKey}}}
                model_info: {id: wild}
            litellm_settings:
              callbacks: ["prometheus"]
            general_settings:
              master_key: {{MasterKey}}
            """);
        using var http = Http(gateway);

        foreach (var model in new[] { "gpt-4o-mini", "openai/gpt-4o", "gpt-4o-mini" })
        {
            using var answered = await PostAsync(http, model);
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }

        var metrics = PrometheusText.Parse(await http.GetStringAsync("/metrics"));
        Assert.Equal(2, metrics.Sum("litellm_proxy_total_requests_metric_total", ("requested_model", "gpt-4o-mini"), ("model_id", "wild")));
        Assert.Equal(1, metrics.Sum("litellm_proxy_total_requests_metric_total", ("requested_model", "openai/gpt-4o")));
        Assert.Equal(0, metrics.Sum("litellm_proxy_total_requests_metric_total", ("requested_model", "openai/*")));
    }

    [Fact]
    public async Task Metrics_WithoutKey_AreRefusedByDefaultAndServedWhenAuthIsTurnedOff()
    {
        var upstream = await UpstreamAsync("sk-upstream-key");
        var closed = await GatewayAsync($"""
            model_list:
              - {Deployment("gpt-4o", upstream, "one")}
            litellm_settings:
              callbacks: ["prometheus"]
            general_settings:
              master_key: {MasterKey}
            """);
        var open = await GatewayAsync($"""
            model_list:
              - {Deployment("gpt-4o", upstream, "one")}
            litellm_settings:
              success_callback: ["prometheus"]
              require_auth_for_metrics_endpoint: false
            general_settings:
              master_key: {MasterKey}
            """);
        using var anonymousClosed = new HttpClient { BaseAddress = closed.BaseAddress };
        using var anonymousOpen = new HttpClient { BaseAddress = open.BaseAddress };

        using var refused = await anonymousClosed.GetAsync("/metrics");
        using var served = await anonymousOpen.GetAsync("/metrics/");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.StartsWith("text/plain", served.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        Assert.Contains("# TYPE litellm_proxy_total_requests_metric_total counter", await served.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_WithoutThePrometheusCallback_AnswerNotFoundSayingHowToTurnThemOn()
    {
        var upstream = await UpstreamAsync("sk-upstream-key");
        var gateway = await GatewayAsync($"""
            model_list:
              - {Deployment("gpt-4o", upstream, "one")}
            general_settings:
              master_key: {MasterKey}
            """);
        using var http = Http(gateway);

        using var response = await http.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("litellm_settings.callbacks", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    // A single deployment's retries would wait out a back-off on the fake clock: those deployments retry nothing.
    internal static string Deployment(string modelName, FakeUpstream upstream, string id, int? numRetries = null) =>
        "{model_name: " + modelName + ", litellm_params: {model: \"openai/gpt-4o\", api_base: \"" + upstream.ApiBase
        + "\", api_key: " + upstream.ApiKey + (numRetries is { } n ? ", num_retries: " + n : "") + "}, model_info: {id: " + id + "}}";

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string model) =>
        http.PostAsync("/v1/chat/completions", new StringContent(
            "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Encoding.UTF8, "application/json"));

    private static HttpClient Http(TestGateway gateway)
    {
        var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
        return http;
    }

    private async Task<FakeUpstream> UpstreamAsync(string apiKey)
    {
        var upstream = await FakeUpstream.StartAsync(apiKey, _time);
        _disposables.Add(upstream);
        return upstream;
    }

    private async Task<TestGateway> GatewayAsync(string yaml)
    {
        // Requests are sequential, so one seeded Random is never used by two threads at once.
        var gateway = await TestGateway.StartAsync(yaml, configureServices: services =>
        {
            services.Replace(ServiceDescriptor.Singleton(new Random(7)));
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_time));
        });
        _disposables.Add(gateway);
        return gateway;
    }
}
