using System.Text.Json;
using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.EndToEnd.Keys;

/// <summary>
/// Changes made through the management API take effect on the same gateway at the next call, not after a cache
/// expires: a raised budget or rate limit lets it through, a deleted key is refused.
/// </summary>
public sealed class KeyChangesEndToEndTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 10, 0, 10, TimeSpan.Zero));

    [Fact]
    public async Task KeyUpdate_MaxBudgetRaised_NextCallServed()
    {
        await using var gate = await KeyedGateway.StartAsync(_time);
        var key = await gate.GenerateKeyAsync("""{"max_budget":0.03}""");
        using var http = gate.Client(key);
        using (var spending = await KeyedGateway.ChatAsync(http, "metered"))
        {
            Assert.Equal(HttpStatusCode.OK, spending.StatusCode);
        }

        using (var refused = await KeyedGateway.ChatAsync(http, "metered"))
        {
            await KeyedGateway.AssertErrorAsync(refused, 429, "budget_exceeded", "Budget has been exceeded! Key=");
        }

        await gate.PostAdminAsync("/key/update", $$"""{"key":"{{key}}","max_budget":1}""");

        using var served = await KeyedGateway.ChatAsync(http, "metered");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        // Spend after this call: the first call's 0.06 and this one's.
        Assert.Equal("0.12", KeyedGateway.Header(served, "x-litellm-key-spend"));
        Assert.Equal("1", KeyedGateway.Header(served, "x-litellm-key-max-budget"));
    }

    [Fact]
    public async Task KeyUpdate_RpmLimitRaised_NextCallServedInTheSameMinute()
    {
        await using var gate = await KeyedGateway.StartAsync(_time);
        var key = await gate.GenerateKeyAsync("""{"rpm_limit":1}""");
        using var http = gate.Client(key);
        using (var first = await KeyedGateway.ChatAsync(http, "gpt-4o-mini"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using (var refused = await KeyedGateway.ChatAsync(http, "gpt-4o-mini"))
        {
            await KeyedGateway.AssertErrorAsync(refused, 429, "rate_limit_error", "Rate limit exceeded for api_key: ");
        }

        await gate.PostAdminAsync("/key/update", $$"""{"key":"{{key}}","rpm_limit":5}""");

        using var served = await KeyedGateway.ChatAsync(http, "gpt-4o-mini");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("5", KeyedGateway.Header(served, "x-ratelimit-limit-requests"));
        Assert.Equal("3", KeyedGateway.Header(served, "x-ratelimit-remaining-requests"));
    }

    [Fact]
    public async Task KeyDelete_KeyInUse_401AtTheNextCall()
    {
        await using var gate = await KeyedGateway.StartAsync(_time);
        var key = await gate.GenerateKeyAsync();
        using var http = gate.Client(key);
        using (var served = await KeyedGateway.ChatAsync(http, "gpt-4o-mini"))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        var deleted = await gate.PostAdminAsync("/key/delete", $$"""{"keys":["{{key}}"]}""");
        Assert.Single(deleted["deleted_keys"]!.AsArray());

        using var refused = await KeyedGateway.ChatAsync(http, "gpt-4o-mini");
        await KeyedGateway.AssertErrorAsync(refused, 401, "token_not_found_in_db", "Authentication Error, Invalid proxy server token passed.");
        Assert.Single(gate.Upstream.Received);
    }

    [Fact]
    public async Task Models_AKeyListsOnlyTheModelsItMayCall_TheMasterKeyAll()
    {
        await using var gate = await KeyedGateway.StartAsync();
        var key = await gate.GenerateKeyAsync("""{"models":["gpt-4o-mini","other"]}""");
        using var http = gate.Client(key);
        using var master = gate.Client(KeyedGateway.MasterKey);

        Assert.Equal(["gpt-4o-mini", "other"], await ModelIdsAsync(http));
        Assert.Equal(["gpt-4o-mini", "metered", "other", "text-embedding-3-small"], await ModelIdsAsync(master));
    }

    private static async Task<string[]> ModelIdsAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var list = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. list.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).Order(StringComparer.Ordinal)];
    }
}
