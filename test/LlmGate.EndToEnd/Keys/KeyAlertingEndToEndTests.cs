using System.Net;
using System.Text.Json.Nodes;
using LlmGate.Testing;

namespace LlmGate.EndToEnd.Keys;

/// <summary>
/// Keys and PagerDuty, on real time: a key's refusals are the client's business and never page, while a key's
/// budget being used up sends LiteLLM's budget alerts (85 %, 95 %, crossed) as one <c>warning</c> alert.
/// </summary>
public sealed class KeyAlertingEndToEndTests : IAsyncLifetime
{
    private FakePagerDuty _pagerDuty = null!;

    public async Task InitializeAsync() => _pagerDuty = await FakePagerDuty.StartAsync();

    public async Task DisposeAsync() => await _pagerDuty.DisposeAsync();

    [Fact]
    public async Task TwentyBudgetAndRateRefusals_FailureThresholdOne_NoPage_ThenOneRealFailurePagesAlone()
    {
        await using var gate = await KeyedGateway.StartAsync(pagerDuty: _pagerDuty, alertingArgs: "failure_threshold: 1, failure_threshold_window_seconds: 60");
        using var budgeted = gate.Client(await gate.GenerateKeyAsync("""{"max_budget":1}"""));
        using var limited = gate.Client(await gate.GenerateKeyAsync("""{"rpm_limit":1}"""));

        for (var i = 0; i < 10; i++)
        {
            // Could cost 10, over the budget: refused before anything is spent, so no budget alert either.
            using var refused = await KeyedGateway.ChatAsync(budgeted, "metered", maxTokens: 1000);
            await KeyedGateway.AssertErrorAsync(refused, 429, "budget_exceeded", "Budget has been exceeded!");
        }

        // On real time a minute may turn over: count refusals, not calls.
        var rateRefusals = 0;
        for (var calls = 0; rateRefusals < 10 && calls < 30; calls++)
        {
            using var response = await KeyedGateway.ChatAsync(limited, "gpt-4o-mini");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await KeyedGateway.AssertErrorAsync(response, 429, "rate_limit_error", "Rate limit exceeded for api_key: ");
                rateRefusals++;
            }
        }

        Assert.Equal(10, rateRefusals);
        Assert.Equal(0, FailureCount(JsonNode.Parse(await gate.Admin.GetStringAsync("/alerting/status"))!));

        // The positive signal: one real failure in the same window pages, and the page counts it alone.
        gate.Upstream.FailWithStatus = 500;
        using (var failed = await KeyedGateway.ChatAsync(gate.Admin, "gpt-4o-mini"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }

        gate.Upstream.FailWithStatus = null;
        await _pagerDuty.WaitForEventsAsync(1, KeyedGateway.Deadline);
        Assert.Equal(1, FailureCount(JsonNode.Parse(await gate.Admin.GetStringAsync("/alerting/status"))!));
        var page = Assert.Single(_pagerDuty.Events);
        Assert.Equal("trigger", page.EventAction);
        Assert.Equal(1, page.Body.GetProperty("payload").GetProperty("custom_details").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task BudgetUsedStepByStep_WarningsAt85And95AndCrossed_OneDedupKeyAndNeverTheKey()
    {
        await using var gate = await KeyedGateway.StartAsync(pagerDuty: _pagerDuty);
        var key = await gate.GenerateKeyAsync("""{"max_budget":0.1,"key_alias":"budget-alerts"}""");
        var token = (await gate.KeyInfoAsync(key))["token"]!.GetValue<string>();
        using var http = gate.Client(key);

        // metered: 6 × 0.01 plain; other: 6 × 0.001 plain, 4 × 0.001 streamed. Each reserves max_tokens 1 × its price.
        await SpendAsync(http, "metered", stream: false);                  // 0.060
        for (var i = 0; i < 4; i++)
        {
            await SpendAsync(http, "other", stream: false);                // 0.084, under 85 %
        }

        await SpendAsync(http, "other", stream: true);                     // 0.088
        await _pagerDuty.WaitForEventsAsync(1, KeyedGateway.Deadline);
        await SpendAsync(http, "other", stream: true);                     // 0.092
        await SpendAsync(http, "other", stream: true);                     // 0.096
        await _pagerDuty.WaitForEventsAsync(2, KeyedGateway.Deadline);
        await SpendAsync(http, "other", stream: false);                    // 0.102, crossed
        await _pagerDuty.WaitForEventsAsync(3, KeyedGateway.Deadline);

        var events = _pagerDuty.Events;
        Assert.Equal(3, events.Count);
        Assert.All(events, e =>
        {
            Assert.Equal("trigger", e.EventAction);
            Assert.Equal("warning", e.Body.GetProperty("payload").GetProperty("severity").GetString());
        });
        Assert.Single(events.Select(e => e.DedupKey).Distinct());
        Assert.Contains("has used 85 % of its budget", events[0].Summary, StringComparison.Ordinal);
        Assert.Contains("has used 95 % of its budget", events[1].Summary, StringComparison.Ordinal);
        Assert.Contains("has crossed its budget", events[2].Summary, StringComparison.Ordinal);
        Assert.All(events, e => Assert.Contains("budget-alerts", e.Summary, StringComparison.Ordinal));
        Assert.All(_pagerDuty.Requests, r =>
        {
            Assert.DoesNotContain(key, r.RawBody, StringComparison.Ordinal);
            Assert.DoesNotContain(token, r.RawBody, StringComparison.OrdinalIgnoreCase);
        });

        using var refused = await KeyedGateway.ChatAsync(http, "other");
        await KeyedGateway.AssertErrorAsync(refused, 429, "budget_exceeded", "Budget has been exceeded!");
        Assert.Equal(3, _pagerDuty.Events.Count);
    }

    private static async Task SpendAsync(HttpClient http, string model, bool stream)
    {
        using var response = await KeyedGateway.ChatAsync(http, model, maxTokens: 1, stream);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        await response.Content.ReadAsStringAsync();
    }

    private static int FailureCount(JsonNode status) =>
        status["windows"]!.AsArray().Where(w => w!["class"]!.GetValue<string>() == "llm_api_failure").Sum(w => w!["count"]!.GetValue<int>());
}
