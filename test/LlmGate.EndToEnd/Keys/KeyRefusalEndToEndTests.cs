using System.Net;
using LlmGate.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.EndToEnd.Keys;

/// <summary>
/// Each of LiteLLM's refusals of a virtual key, with its exact status and body, through the real gateway on its SQLite
/// store, on a clock the test drives (10 s into a minute, so a rate window never turns over by itself). After each, the
/// master key calls the same model and is served: it is never refused by a key's rules.
/// </summary>
public sealed class KeyRefusalEndToEndTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 10, 0, 10, TimeSpan.Zero));

    [Fact]
    public async Task ModelInfo_KeyLimitedToOneModel_SeesThatModelsDeploymentsOnlyAsV1ModelsDoes()
    {
        await using var gate = await KeyedGateway.StartAsync(_time);
        var key = await gate.GenerateKeyAsync("""{"models":["gpt-4o-mini"]}""");
        using var http = gate.Client(key);

        var keyed = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync("/model/info"))!["data"]!.AsArray();
        var listed = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync("/v1/models"))!["data"]!.AsArray();
        var admin = System.Text.Json.Nodes.JsonNode.Parse(await gate.Admin.GetStringAsync("/model/info"))!["data"]!.AsArray();

        Assert.Equal(["gpt-4o-mini"], keyed.Select(d => d!["model_name"]!.GetValue<string>()));
        Assert.Equal(["gpt-4o-mini"], listed.Select(d => d!["id"]!.GetValue<string>()));
        Assert.Equal(4, admin.Count); // the master key sees every deployment
    }

    [Fact]
    public async Task UnknownKey_401TokenNotFound()
    {
        await using var gate = await KeyedGateway.StartAsync(_time);
        const string unknown = "sk-never-generated-0123456789";
        using var http = gate.Client(unknown);

        using var response = await KeyedGateway.ChatAsync(http, "gpt-4o-mini");

        var message = await KeyedGateway.AssertErrorAsync(response, 401, "token_not_found_in_db", "Authentication Error, Invalid proxy server token passed.");
        Assert.DoesNotContain(unknown, message, StringComparison.Ordinal);
        Assert.Empty(gate.Upstream.Received);
        await AssertMasterServedAsync(gate, "gpt-4o-mini");
    }

    [Fact]
    public async Task BlockedKey_401_UnblockWorksAtOnce()
    {
        await using var gate = await KeyedGateway.StartAsync(_time);
        var key = await gate.GenerateKeyAsync();
        using var http = gate.Client(key);
        await AssertServedAsync(http, "gpt-4o-mini");

        await gate.PostAdminAsync("/key/block", $$"""{"key":"{{key}}"}""");
        using (var blocked = await KeyedGateway.ChatAsync(http, "gpt-4o-mini"))
        {
            await KeyedGateway.AssertErrorAsync(blocked, 401, "auth_error", "Authentication Error, Key is blocked.");
        }

        await AssertMasterServedAsync(gate, "gpt-4o-mini");
        await gate.PostAdminAsync("/key/unblock", $$"""{"key":"{{key}}"}""");
        await AssertServedAsync(http, "gpt-4o-mini");
    }

    [Fact]
    public async Task ExpiredKey_AfterItsDuration_401ExpiredKey()
    {
        await using var gate = await KeyedGateway.StartAsync(_time);
        var key = await gate.GenerateKeyAsync("""{"duration":"30s"}""");
        using var http = gate.Client(key);
        await AssertServedAsync(http, "gpt-4o-mini");

        _time.Advance(TimeSpan.FromSeconds(31));
        using var expired = await KeyedGateway.ChatAsync(http, "gpt-4o-mini");

        var message = await KeyedGateway.AssertErrorAsync(expired, 401, "expired_key", "Authentication Error - Expired Key. Key Expiry time 2026-03-02 10:00:40 and current time 2026-03-02 10:00:41");
        Assert.DoesNotContain(key, message, StringComparison.Ordinal);
        Assert.Single(gate.Upstream.Received);
        await AssertMasterServedAsync(gate, "gpt-4o-mini");
    }

    [Fact]
    public async Task KeyModels_ModelNotListed_403KeyModelAccessDenied()
    {
        await using var gate = await KeyedGateway.StartAsync(_time);
        var key = await gate.GenerateKeyAsync("""{"models":["gpt-4o-mini"]}""");
        using var http = gate.Client(key);

        using var refused = await KeyedGateway.ChatAsync(http, "other");

        await KeyedGateway.AssertErrorAsync(refused, 403, "key_model_access_denied",
            "key not allowed to access model. This key can only access models=['gpt-4o-mini']. Tried to access other");
        Assert.Empty(gate.Upstream.Received);
        await AssertServedAsync(http, "gpt-4o-mini");
        await AssertMasterServedAsync(gate, "other");
    }

    [Fact]
    public async Task TeamModels_ModelNotListed_403TeamModelAccessDenied()
    {
        await using var gate = await KeyedGateway.StartAsync(_time);
        await gate.PostAdminAsync("/team/new", """{"team_id":"team-models","models":["gpt-4o-mini"]}""");
        var key = await gate.GenerateKeyAsync("""{"team_id":"team-models"}""");
        using var http = gate.Client(key);

        using var refused = await KeyedGateway.ChatAsync(http, "other");

        await KeyedGateway.AssertErrorAsync(refused, 403, "team_model_access_denied",
            "team not allowed to access model. This team can only access models=['gpt-4o-mini']. Tried to access other");
        Assert.Empty(gate.Upstream.Received);
        await AssertServedAsync(http, "gpt-4o-mini");
        await AssertMasterServedAsync(gate, "other");
    }

    [Fact]
    public async Task OverBudget_OneCallsRealCostCrossesIt_Second429BudgetExceeded()
    {
        await using var gate = await KeyedGateway.StartAsync(_time);
        var key = await gate.GenerateKeyAsync("""{"max_budget":0.03}""");
        using var http = gate.Client(key);

        // Reserves max_tokens 1 × 0.01 = 0.01, fits; the answer's 6 completion tokens cost 0.06.
        using (var first = await KeyedGateway.ChatAsync(http, "metered", maxTokens: 1))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            // A plain answer carries its cost and the key's spend after it (LiteLLM's newer headers).
            Assert.Equal("0.06", KeyedGateway.Header(first, "x-litellm-response-cost"));
            Assert.Equal("0.06", KeyedGateway.Header(first, "x-litellm-key-spend"));
            Assert.Equal("0.03", KeyedGateway.Header(first, "x-litellm-key-max-budget"));
        }

        using var second = await KeyedGateway.ChatAsync(http, "metered", maxTokens: 1);

        var message = await KeyedGateway.AssertErrorAsync(second, 429, "budget_exceeded", "Budget has been exceeded! Key=");
        Assert.EndsWith("Current cost: 0.06, Max budget: 0.03", message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, message, StringComparison.Ordinal);
        Assert.Single(gate.Upstream.Received);
        await AssertMasterServedAsync(gate, "metered");
    }

    [Fact]
    public async Task Reservation_MaxTokensTooLargeForTheBudget_429BudgetExceededAndNothingSpent()
    {
        await using var gate = await KeyedGateway.StartAsync(_time);
        var key = await gate.GenerateKeyAsync("""{"max_budget":1}""");
        using var http = gate.Client(key);

        // 1000 × 0.01 = 10 could be spent: more than the whole budget.
        using (var refused = await KeyedGateway.ChatAsync(http, "metered", maxTokens: 1000))
        {
            var message = await KeyedGateway.AssertErrorAsync(refused, 429, "budget_exceeded", "Budget has been exceeded! Key=");
            Assert.Contains("Current cost: 0, Max budget: 1. This request could cost up to 10 ", message, StringComparison.Ordinal);
        }

        Assert.Empty(gate.Upstream.Received);
        await AssertServedAsync(http, "metered", maxTokens: 10);
        await AssertMasterServedAsync(gate, "metered");
    }

    [Fact]
    public async Task RpmLimit_HeadersCountDown_Then429WithRetryAfterUntilTheMinuteEnds()
    {
        await using var gate = await KeyedGateway.StartAsync(_time);
        var key = await gate.GenerateKeyAsync("""{"rpm_limit":3}""");
        using var http = gate.Client(key);

        foreach (var remaining in new[] { "2", "1", "0" })
        {
            using var served = await KeyedGateway.ChatAsync(http, "gpt-4o-mini");
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Equal("3", KeyedGateway.Header(served, "x-ratelimit-limit-requests"));
            Assert.Equal(remaining, KeyedGateway.Header(served, "x-ratelimit-remaining-requests"));
        }

        using (var refused = await KeyedGateway.ChatAsync(http, "gpt-4o-mini"))
        {
            var message = await KeyedGateway.AssertErrorAsync(refused, 429, "rate_limit_error", "Rate limit exceeded for api_key: ");
            Assert.Contains("Limit type: requests. Current limit: 3, Remaining: 0. Limit resets at: 2026-03-02 10:01:00 UTC", message, StringComparison.Ordinal);
            Assert.Equal("50", KeyedGateway.Header(refused, "retry-after"));
        }

        Assert.Equal(3, gate.Upstream.Received.Count);
        await AssertMasterServedAsync(gate, "gpt-4o-mini");
        _time.Advance(TimeSpan.FromSeconds(50));
        await AssertServedAsync(http, "gpt-4o-mini");
    }

    [Fact]
    public async Task MaxParallelRequests_OneCallHeldInFlight_Second429_ServedOnceItEnds()
    {
        await using var gate = await KeyedGateway.StartAsync(_time);
        var key = await gate.GenerateKeyAsync("""{"max_parallel_requests":1}""");
        using var http = gate.Client(key);
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.Upstream.HoldStreamAfterFirstChunk = hold;

        using var held = await KeyedGateway.PostChatAsync(http, KeyedGateway.ChatBody("gpt-4o-mini", stream: true), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, held.StatusCode);
        using (var refused = await KeyedGateway.ChatAsync(http, "gpt-4o-mini"))
        {
            var message = await KeyedGateway.AssertErrorAsync(refused, 429, "rate_limit_error", "Rate limit exceeded for api_key: ");
            Assert.Contains("Limit type: max_parallel_requests. Current limit: 1", message, StringComparison.Ordinal);
            Assert.Equal("1", KeyedGateway.Header(refused, "retry-after"));
        }

        await AssertMasterServedAsync(gate, "gpt-4o-mini");
        hold.SetResult();
        Assert.EndsWith("data: [DONE]\n\n", await held.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertServedAsync(http, "gpt-4o-mini");
    }

    [Fact]
    public async Task TpmLimit_TokensOfOneAnswerUseItUp_Next429()
    {
        await using var gate = await KeyedGateway.StartAsync(_time);
        var key = await gate.GenerateKeyAsync("""{"tpm_limit":10}""");
        using var http = gate.Client(key);

        using (var served = await KeyedGateway.ChatAsync(http, "gpt-4o-mini"))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Equal("10", KeyedGateway.Header(served, "x-ratelimit-limit-tokens"));
            Assert.Equal("10", KeyedGateway.Header(served, "x-ratelimit-remaining-tokens"));
        }

        // The answer's 11 tokens count once it ended: none left this minute.
        using (var refused = await KeyedGateway.ChatAsync(http, "gpt-4o-mini"))
        {
            var message = await KeyedGateway.AssertErrorAsync(refused, 429, "rate_limit_error", "Rate limit exceeded for api_key: ");
            Assert.Contains("Limit type: tokens. Current limit: 10, Remaining: 0.", message, StringComparison.Ordinal);
            Assert.Equal("50", KeyedGateway.Header(refused, "retry-after"));
        }

        Assert.Single(gate.Upstream.Received);
        await AssertMasterServedAsync(gate, "gpt-4o-mini");
    }

    private static async Task AssertServedAsync(HttpClient http, string model, long maxTokens = 1)
    {
        using var response = await KeyedGateway.ChatAsync(http, model, maxTokens);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static Task AssertMasterServedAsync(KeyedGateway gate, string model) => AssertServedAsync(gate.Admin, model);
}
