using System.ClientModel;
using System.Globalization;
using LlmGate.Testing;
using OpenAI;
using OpenAI.Chat;

namespace LlmGate.EndToEnd.Observability;

/// <summary>The exposition as Prometheus' own tools read it: promtool's lint, and a real Prometheus scraping the gateway.</summary>
public sealed class PrometheusScrapeEndToEndTests : IAsyncLifetime
{
    private const string MasterKey = "sk-scrape-master-5678";
    private readonly List<IAsyncDisposable> _disposables = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _disposables.Count - 1; i >= 0; i--)
        {
            await _disposables[i].DisposeAsync();
        }
    }

    [PrometheusFact]
    public async Task Promtool_CheckMetricsOnTheExpositionOfEveryFamily_FindsNoProblem()
    {
        // Every family the gateway writes: calls (plain, streamed, failed, by a virtual key with a budget) and the pager's.
        var pagerDuty = await FakePagerDuty.StartAsync();
        _disposables.Add(pagerDuty);
        var (gateway, upstream) = await StartAsync(pagerDuty);
        using var http = Http(gateway);
        using (var generated = await http.PostAsync("/key/generate", new StringContent("""{"key_alias":"lint","max_budget":100}""", System.Text.Encoding.UTF8, "application/json")))
        {
            var key = System.Text.Json.Nodes.JsonNode.Parse(await generated.Content.ReadAsStringAsync())!["key"]!.GetValue<string>();
            await Chat(gateway, key).CompleteChatAsync([new UserChatMessage("hi")]);
        }

        var chat = Chat(gateway);
        await chat.CompleteChatAsync([new UserChatMessage("hi")]);
        await foreach (var _ in chat.CompleteChatStreamingAsync([new UserChatMessage("hi")]))
        {
        }

        upstream.FailWithStatus = 500;
        await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("hi")]));
        await pagerDuty.WaitForEventsAsync(1, TimeSpan.FromSeconds(30));
        var exposition = await http.GetStringAsync("/metrics");

        var (exitCode, output) = await PrometheusServer.CheckMetricsAsync(exposition);

        Assert.True(exitCode == 0 && output.Trim().Length == 0, $"promtool check metrics exited {exitCode}:\n{output}");
        foreach (var family in (string[])["litellm_proxy_failed_requests_metric_total{", "litellm_llm_api_time_to_first_token_metric_bucket{",
            "litellm_remaining_api_key_budget_metric{", "llmgate_alert_window_calls{", "llmgate_alert_open_incidents{"])
        {
            Assert.Contains(family, exposition, StringComparison.Ordinal);
        }
    }

    [PrometheusFact]
    public async Task Prometheus_ScrapingTheGatewayWithItsKey_ReadsTheRequestCounterBack()
    {
        var (gateway, _) = await StartAsync();
        var chat = Chat(gateway);
        const int Calls = 3;
        for (var i = 0; i < Calls; i++)
        {
            await chat.CompleteChatAsync([new UserChatMessage("hi")]);
        }

        var prometheus = await PrometheusServer.StartAsync(gateway.BaseAddress, "/metrics/", MasterKey);
        _disposables.Add(prometheus);

        var result = await prometheus.QueryUntilAsync(
            "sum(litellm_proxy_total_requests_metric_total{requested_model=\"gpt-4o\",status_code=\"200\"})",
            r => r.Count == 1 && Value(r) == Calls,
            TimeSpan.FromSeconds(30));

        Assert.Single(result);
        Assert.Equal(Calls, Value(result));
        Assert.Equal(("up", ""), await prometheus.TargetAsync());
    }

    private static double Value(System.Text.Json.Nodes.JsonArray result) =>
        double.Parse(result[0]!["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture);

    private static ChatClient Chat(TestGateway gateway, string key = MasterKey) =>
        new("gpt-4o", new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(gateway.BaseAddress, "v1"), NetworkTimeout = TimeSpan.FromSeconds(30) });

    private static HttpClient Http(TestGateway gateway)
    {
        var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", MasterKey);
        return http;
    }

    private async Task<(TestGateway Gateway, FakeUpstream Upstream)> StartAsync(FakePagerDuty? pagerDuty = null)
    {
        var upstream = await FakeUpstream.StartAsync("sk-scrape-upstream");
        _disposables.Add(upstream);
        var alerting = pagerDuty is null ? "" : "\n  alerting: [\"pagerduty\"]\n  alerting_args: {failure_threshold: 1}";
        var gateway = await TestGateway.StartAsync(
            $"""
            model_list:
              - {PrometheusMetricsEndToEndTests.Deployment("gpt-4o", upstream, "only", numRetries: 0)}
            litellm_settings:
              callbacks: ["prometheus"]
            general_settings:
              master_key: {MasterKey}{alerting}
            """,
            pagerDuty is null ? null : new Dictionary<string, string>
            {
                ["PAGERDUTY_API_KEY"] = "d8b0c1e2f3a4b5c6d7e8f9a0b1c2d3e4",
                ["PAGERDUTY_EVENTS_URL"] = pagerDuty.EventsUrl.ToString(),
            });
        _disposables.Add(gateway);
        return (gateway, upstream);
    }
}
