using System.Diagnostics;
using System.Net;
using LlmGate.Testing;
using Xunit.Abstractions;

namespace LlmGate.EndToEnd.Keys;

/// <summary>
/// The key database stopped under a running gateway: keys it holds keep working from memory without waiting on the
/// database, unknown keys fail closed with 503, readiness says degraded; when the database returns, the spend made
/// meanwhile is written.
/// </summary>
public sealed class PostgresOutageTests(ITestOutputHelper output)
{
    [PostgresOutageFact]
    public async Task PostgresStopped_CachedKeyServedAndUnknownKey503_SpendCaughtUpWhenItReturns()
    {
        const double cost = ReplicasGateways.CallCost;
        await using var upstream = await FakeUpstream.StartAsync();
        await using var postgres = await PostgresServer.StartAsync();
        await using var gateways = await ReplicasGateways.StartAsync(1, upstream, postgres.Url);
        var key = await gateways.GenerateKeyAsync(0, """{"max_budget": 10}""");
        using var withKey = gateways.ClientWithKey(0, key);
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(withKey));
        await gateways.WaitForSpendAsync(0, key, cost, TimeSpan.FromSeconds(10));

        await postgres.StopAsync();

        // Held in memory: served, and never waiting on the database (a wait would be Npgsql's connect timeout, seconds).
        for (var i = 0; i < 3; i++)
        {
            var took = Stopwatch.StartNew();
            Assert.Equal(HttpStatusCode.OK, await ChatAsync(withKey));
            Assert.True(took.Elapsed < TimeSpan.FromSeconds(2), $"a call with a held key took {took.Elapsed.TotalMilliseconds:F0} ms with the database away");
        }

        using (var stranger = gateways.ClientWithKey(0, "sk-never-seen-" + Guid.NewGuid().ToString("N")))
        using (var refused = await ReplicasGateways.ChatAsync(stranger))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            ReplicasGateways.AssertError(await ReplicasGateways.JsonOf(refused), 503,
                "Authentication Error, the key database cannot be reached, so this key cannot be checked yet. Keys already in use keep working; retry shortly.",
                "service_unavailable", "None");
        }

        var degraded = await WaitForReadinessAsync(gateways, "degraded", TimeSpan.FromSeconds(10));
        Assert.Equal((HttpStatusCode.OK, "degraded", "Not connected"), degraded);
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(withKey)); // still serving once degraded

        await postgres.StartAgainAsync();
        var back = Stopwatch.StartNew();
        Assert.Equal((HttpStatusCode.OK, "healthy", "connected"), await WaitForReadinessAsync(gateways, "healthy", TimeSpan.FromSeconds(15)));
        output.WriteLine($"readiness healthy {back.Elapsed.TotalMilliseconds:F0} ms after PostgreSQL accepted connections again");

        // Catch-up: the first call, and the four served while the database was away, each counted once.
        await gateways.WaitForSpendAsync(0, key, 5 * cost, TimeSpan.FromSeconds(10));
    }

    private static async Task<HttpStatusCode> ChatAsync(HttpClient http)
    {
        using var answer = await ReplicasGateways.ChatAsync(http);
        return answer.StatusCode;
    }

    private static async Task<(HttpStatusCode, string, string)> WaitForReadinessAsync(ReplicasGateways gateways, string status, TimeSpan timeout)
    {
        var took = Stopwatch.StartNew();
        while (true)
        {
            var readiness = await gateways.ReadinessAsync(0);
            if (readiness.Status == status || took.Elapsed > timeout)
            {
                return readiness;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }
}
