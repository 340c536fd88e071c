using System.Net;
using System.Text;
using LlmGate.EndToEnd.Keys;
using LlmGate.Testing;
using OpenAI.Chat;

namespace LlmGate.EndToEnd.Observability;

/// <summary>What LiteLLM's metrics lack and ours add: the pager's own state, and the caller labels and budgets of virtual keys.</summary>
public sealed class PagerAndBudgetMetricsEndToEndTests
{
    private const double Precision = 1e-9;

    [Fact]
    public async Task Metrics_AfterAnIncidentIsPaged_ShowTheWindowTheOpenIncidentAndTheDelivery()
    {
        var started = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var upstream = await FakeUpstream.StartAsync("sk-pager-upstream");
        upstream.FailWithStatus = 500;
        await using var gateway = await TestGateway.StartAsync($"""
            model_list:
              - {PrometheusMetricsEndToEndTests.Deployment("gpt-4o", upstream, "only", numRetries: 0)}
            litellm_settings:
              callbacks: ["prometheus"]
            general_settings:
              master_key: sk-pager-master
              alerting: ["pagerduty"]
              alerting_args:
                failure_threshold: 2
                failure_threshold_window_seconds: 60
            """, new Dictionary<string, string>
        {
            ["PAGERDUTY_API_KEY"] = KeyedGateway.PagerDutyRoutingKey,
            ["PAGERDUTY_EVENTS_URL"] = pagerDuty.EventsUrl.ToString(),
        });
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "sk-pager-master");
        for (var i = 0; i < 2; i++)
        {
            using var failed = await http.PostAsync("/v1/chat/completions",
                new StringContent("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }

        await pagerDuty.WaitForEventsAsync(1, TimeSpan.FromSeconds(30));
        // PagerDuty has the event; the gateway records the delivery, then clears its outbox row, once it has read the answer.
        var (text, metrics) = await ScrapeUntilAsync(http, m =>
            m.Sum("llmgate_alert_delivery_attempts_total", ("delivered", "true")) >= 1 && m.Sum("llmgate_alert_outbox_depth") == 0);

        var window = Assert.Single(metrics.Where("llmgate_alert_window_threshold"), s => s.Value == 2);
        Assert.Equal(2, metrics.Sum("llmgate_alert_window_calls", ("alert_class", window.Labels["alert_class"]), ("scope", window.Labels["scope"])));
        Assert.Equal(1, metrics.Sum("llmgate_alert_open_incidents"));
        Assert.Equal(1, metrics.Sum("llmgate_alert_delivery_attempts_total", ("channel", "pagerduty"), ("status", "202"), ("delivered", "true")));
        Assert.Equal(0, metrics.Sum("llmgate_alert_outbox_depth", ("channel", "pagerduty")));
        var delivered = metrics.Where("llmgate_alert_last_successful_delivery_timestamp_seconds", ("channel", "pagerduty")).Single().Value;
        Assert.InRange(delivered, started, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
        Assert.DoesNotContain(KeyedGateway.PagerDutyRoutingKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-pager-master", text, StringComparison.Ordinal);
    }

    private static async Task<(string Text, PrometheusText Metrics)> ScrapeUntilAsync(HttpClient http, Func<PrometheusText, bool> condition)
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var text = await http.GetStringAsync("/metrics");
            var metrics = PrometheusText.Parse(text);
            if (condition(metrics) || elapsed.Elapsed > TimeSpan.FromSeconds(10))
            {
                return (text, metrics);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    [Fact]
    public async Task Metrics_ForAVirtualKeyOfATeam_LabelItsHashAliasAndTeam_CountSpend_AndShowBudgets()
    {
        await using var gate = await KeyedGateway.StartAsync(prometheus: true);
        await gate.PostAdminAsync("/team/new", """{"team_id":"team-metrics","team_alias":"Payments","max_budget":500}""");
        var key = await gate.GenerateKeyAsync("""{"key_alias":"checkout","team_id":"team-metrics","max_budget":100}""");
        var token = (await gate.KeyInfoAsync(key))["token"]!.GetValue<string>();
        var chat = GatewayClients.Chat(gate.Gateway.BaseAddress, "gpt-4o-mini", key);

        await chat.CompleteChatAsync([new UserChatMessage("hi")]);
        await chat.CompleteChatAsync([new UserChatMessage("hi")]);
        var text = await gate.Admin.GetStringAsync("/metrics");
        var metrics = PrometheusText.Parse(text);

        var caller = new[] { ("hashed_api_key", token), ("api_key_alias", "checkout"), ("team", "team-metrics"), ("team_alias", "Payments") };
        Assert.Equal(2, metrics.Sum("litellm_proxy_total_requests_metric_total", [.. caller, ("requested_model", "gpt-4o-mini"), ("status_code", "200")]));
        var cost = 2 * ((5 * KeyedGateway.InputPrice) + (6 * KeyedGateway.OutputPrice));
        Assert.InRange(metrics.Sum("litellm_spend_metric_total", caller), cost - Precision, cost + Precision);
        Assert.Equal(100, metrics.Sum("litellm_api_key_max_budget_metric", ("hashed_api_key", token), ("api_key_alias", "checkout")));
        Assert.InRange(metrics.Sum("litellm_remaining_api_key_budget_metric", ("hashed_api_key", token)), 100 - cost - Precision, 100 - cost + Precision);
        Assert.Equal(500, metrics.Sum("litellm_team_max_budget_metric", ("team", "team-metrics"), ("team_alias", "Payments")));
        Assert.InRange(metrics.Sum("litellm_remaining_team_budget_metric", ("team", "team-metrics")), 500 - cost - Precision, 500 - cost + Precision);
        Assert.DoesNotContain(key, text, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyedGateway.MasterKey, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_ForAUsersKeyWithABudgetDuration_ShowHoursToResetAndUserBudget_AndForgetADeletedKey()
    {
        await using var gate = await KeyedGateway.StartAsync(prometheus: true);
        await gate.PostAdminAsync("/user/new", """{"user_id":"user-metrics","max_budget":50}""");
        var key = await gate.GenerateKeyAsync("""{"key_alias":"monthly","user_id":"user-metrics","max_budget":100,"budget_duration":"30d"}""");
        var token = (await gate.KeyInfoAsync(key))["token"]!.GetValue<string>();

        await GatewayClients.Chat(gate.Gateway.BaseAddress, "gpt-4o-mini", key).CompleteChatAsync([new UserChatMessage("hi")]);
        var metrics = PrometheusText.Parse(await gate.Admin.GetStringAsync("/metrics"));

        Assert.InRange(metrics.Sum("litellm_api_key_budget_remaining_hours_metric", ("hashed_api_key", token), ("api_key_alias", "monthly")), 30 * 24 - 1, 30 * 24);
        Assert.Equal(50, metrics.Sum("litellm_user_max_budget_metric", ("user", "user-metrics")));
        var cost = (5 * KeyedGateway.InputPrice) + (6 * KeyedGateway.OutputPrice);
        Assert.InRange(metrics.Sum("litellm_remaining_user_budget_metric", ("user", "user-metrics")), 50 - cost - Precision, 50 - cost + Precision);
        Assert.Equal(1, metrics.Sum("litellm_deployment_latency_per_output_token_count", ("hashed_api_key", token)));

        await gate.PostAdminAsync("/key/delete", "{\"keys\":[\"" + key + "\"]}");
        // The deletion reaches the directory through the store's change feed (polled every 250 ms).
        var (_, after) = await ScrapeUntilAsync(gate.Admin, m => !m.Where("litellm_api_key_max_budget_metric", ("hashed_api_key", token)).Any());

        Assert.Empty(after.Where("litellm_api_key_max_budget_metric", ("hashed_api_key", token)));
        Assert.Empty(after.Where("litellm_api_key_budget_remaining_hours_metric", ("hashed_api_key", token)));
    }
}
