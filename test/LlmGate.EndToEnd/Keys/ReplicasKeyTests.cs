using System.Diagnostics;
using System.Globalization;
using System.Net;
using LlmGate.Keys;
using LlmGate.Testing;
using Xunit.Abstractions;

namespace LlmGate.EndToEnd.Keys;

/// <summary>Two gateway replicas on one PostgreSQL, no Redis: what one replica learns reaches the other through the store's change feed.</summary>
public sealed class ReplicasKeyTests(ITestOutputHelper output)
{
    [PostgresGatewayFact]
    public async Task KeyCreatedOnA_AfterBSawItAsUnknown_WorksOnBThroughTheChangeFeed()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var gateways = await ReplicasGateways.StartAsync(2, upstream, database.Url);
        var key = "sk-replicas-" + Guid.NewGuid().ToString("N");
        using var onB = gateways.ClientWithKey(1, key);

        // B meets the key before it exists and remembers it as unknown: only the change feed can correct that.
        using (var unknown = await ReplicasGateways.ChatAsync(onB))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
            var error = (await ReplicasGateways.JsonOf(unknown)).GetProperty("error");
            Assert.Equal("token_not_found_in_db", error.GetProperty("type").GetString());
            Assert.DoesNotContain(key, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(key, await gateways.GenerateKeyAsync(0, $$"""{"key": "{{key}}", "models": ["gpt-4o"]}"""));
        var sinceCreated = Stopwatch.StartNew();

        // Polled well past the bound, so a failure says how late B was rather than only that it was.
        var refusals = 0;
        HttpStatusCode last;
        do
        {
            using var answer = await ReplicasGateways.ChatAsync(onB);
            last = answer.StatusCode;
            if (last != HttpStatusCode.OK)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, last);
                refusals++;
                await Task.Delay(TimeSpan.FromMilliseconds(20));
            }
        }
        while (last != HttpStatusCode.OK && sinceCreated.Elapsed < TimeSpan.FromSeconds(5));

        var elapsed = sinceCreated.Elapsed;
        output.WriteLine($"key created on A answered 200 on B after {elapsed.TotalMilliseconds:F0} ms ({refusals} 401s before)");
        Assert.Equal(HttpStatusCode.OK, last);
        // B reads the feed every 250 ms: on an idle machine a few hundred ms, the README's "within a second". A miss the
        // feed did not correct would stay remembered (misses are forgotten only past 100,000 of them), so a bound of
        // seconds tells the two apart; 3 s leaves room for a runner busy with other test classes (1.5 s was seen there).
        Assert.True(elapsed <= TimeSpan.FromSeconds(3), $"B served the key {elapsed.TotalMilliseconds:F0} ms after A created it");
    }

    [PostgresGatewayFact]
    public async Task SpendThroughA_ShowsInBsKeySpendHeader_WithinTwoSeconds()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var gateways = await ReplicasGateways.StartAsync(2, upstream, database.Url);
        var key = await gateways.GenerateKeyAsync(0, """{"max_budget": 100}""");
        using var onA = gateways.ClientWithKey(0, key);
        using var onB = gateways.ClientWithKey(1, key);
        const double cost = ReplicasGateways.CallCost;

        // B holds the key in memory before A spends anything; the header of a plain answer is the spend after it.
        Assert.Equal(cost, await ServedSpendHeaderAsync(onB));
        var bCalls = 1;
        for (var i = 0; i < 3; i++)
        {
            await ServedSpendHeaderAsync(onA);
        }

        // The header is the spend after the call: B's own calls (this one included) plus what it has learnt of A's three.
        var sinceSpent = Stopwatch.StartNew();
        double seen, expected;
        do
        {
            bCalls++;
            expected = (3 + bCalls) * cost;
            seen = await ServedSpendHeaderAsync(onB);
            if (seen != expected)
            {
                Assert.True(seen < expected, $"B showed spend {Money(seen)}, above the {Money(expected)} spent: counted twice");
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
        }
        while (seen != expected && sinceSpent.Elapsed < TimeSpan.FromSeconds(6));

        var elapsed = sinceSpent.Elapsed;
        output.WriteLine($"A's spend showed on B after {elapsed.TotalMilliseconds:F0} ms ({bCalls} calls on B)");
        Assert.Equal(expected, seen);
        Assert.True(elapsed <= TimeSpan.FromSeconds(2), $"B showed A's spend {elapsed.TotalMilliseconds:F0} ms after it was made; expected within 2 s");

        // And the store holds every call once, whichever replica served it.
        await gateways.WaitForSpendAsync(1, key, (3 + bCalls) * cost, TimeSpan.FromSeconds(5));
    }

    // One served call; its x-litellm-key-spend header (the key's spend after a plain answer).
    private static async Task<double> ServedSpendHeaderAsync(HttpClient http)
    {
        using var answer = await ReplicasGateways.ChatAsync(http);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return double.Parse(Assert.Single(answer.Headers.GetValues("x-litellm-key-spend")), CultureInfo.InvariantCulture);
    }

    private static string Money(double amount) => amount.ToString("R", CultureInfo.InvariantCulture);
}
