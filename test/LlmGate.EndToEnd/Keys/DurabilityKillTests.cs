using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using LlmGate.Testing;
using Xunit.Abstractions;

namespace LlmGate.EndToEnd.Keys;

/// <summary>
/// A gateway killed with SIGKILL under load loses at most the spend it had not yet written (under a second: the
/// issue's bound) and never counts a call twice: measured against the calls the client saw served.
/// </summary>
public sealed class DurabilityKillTests(ITestOutputHelper output)
{
    private const int Loops = 8;

    /// <summary>
    /// How far before the kill a served call may still be missing from the store: the 0.5 s write interval
    /// (<c>proxy_batch_write_at</c>'s default), plus the spend writer's 100 ms tick (a write is due at the first tick after
    /// the interval), plus 400 ms for the batch in flight when the kill came (taken from memory, its transaction not yet
    /// committed) and for a call settling a few milliseconds after its client read the answer on a busy machine: 1 s.
    /// </summary>
    private static readonly TimeSpan LossWindow = TimeSpan.FromMilliseconds(500 + 100 + 400);

    [Fact]
    public Task KilledMidLoad_OnSqlite_RestartShowsSpendWithinOneWriteOfTruthNeverAbove() => KillMidLoadAsync(null, "sqlite");

    [PostgresGatewayFact]
    public async Task KilledMidLoad_OnPostgres_RestartShowsSpendWithinOneWriteOfTruthNeverAbove()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await KillMidLoadAsync(database.Url, "postgres");
    }

    private async Task KillMidLoadAsync(string? databaseUrl, string store)
    {
        const double cost = ReplicasGateways.CallCost;
        await using var upstream = await FakeUpstream.StartAsync();
        await using var gateways = await ReplicasGateways.StartAsync(1, upstream, databaseUrl);
        var key = await gateways.GenerateKeyAsync(0, """{"max_budget": 100000}""");
        using var http = gateways.ClientWithKey(0, key);

        var clock = Stopwatch.StartNew();
        var served = new ConcurrentQueue<TimeSpan>(); // when each served call's answer had been read in full
        var unexpected = new ConcurrentQueue<string>();
        var killed = 0;
        var load = Enumerable.Range(0, Loops).Select(_ => Task.Run(async () =>
        {
            while (Volatile.Read(ref killed) == 0)
            {
                try
                {
                    using var answer = await ReplicasGateways.ChatAsync(http);
                    if (answer.StatusCode == HttpStatusCode.OK)
                    {
                        served.Enqueue(clock.Elapsed);
                    }
                    else
                    {
                        unexpected.Enqueue($"{(int)answer.StatusCode} at {clock.Elapsed.TotalMilliseconds:F0} ms");
                    }
                }
                catch (HttpRequestException) when (Volatile.Read(ref killed) != 0)
                {
                    // In flight when the gateway died: not served, so not in the truth.
                }
                catch (HttpRequestException exception)
                {
                    unexpected.Enqueue($"{exception.Message} at {clock.Elapsed.TotalMilliseconds:F0} ms");
                    return;
                }
            }
        })).ToList();

        // Load long enough for a few batches to have been written, then the kill, mid-stream of calls.
        // Counted from the first served call, not from the loops' start, which a busy machine may delay.
        var deadline = TimeSpan.FromSeconds(20);
        while (!served.TryPeek(out var first) || clock.Elapsed - first < TimeSpan.FromSeconds(2.5) || served.Count < 200)
        {
            Assert.True(clock.Elapsed < deadline && unexpected.IsEmpty, $"load did not get going: {served.Count} served; {string.Join("; ", unexpected)}");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        var killAt = clock.Elapsed;
        Volatile.Write(ref killed, 1);
        await gateways[0].KillAsync();
        await Task.WhenAll(load).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(unexpected.IsEmpty, "calls failed before the kill: " + string.Join("; ", unexpected));

        var restarted = await gateways.StartAnotherAsync();
        var stored = await gateways.SpendAsync(restarted, key);

        var times = served.Order().ToList();
        var truth = times.Count * cost;
        var recent = times.Count(t => t > killAt - LossWindow);
        var lostCalls = (truth - stored) / cost;
        var oldestLost = lostCalls >= 1 ? times[times.Count - (int)lostCalls] : (TimeSpan?)null;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{store}: {Loops} loops for {killAt.TotalSeconds:F2} s; served {times.Count} calls, truth {truth:R} USD; "
            + $"after restart {stored:R} USD; lost {lostCalls:R} calls ({truth - stored:R} USD), the oldest served "
            + $"{(oldestLost is { } o ? (killAt - o).TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture) + " ms" : "-")} before the kill; "
            + $"{recent} calls completed in the last {LossWindow.TotalMilliseconds:F0} ms (the bound)"));

        Assert.True(times.Count > recent, "every call was served within the loss window: the load was too short to show anything");
        Assert.True(stored <= truth, $"spend after restart {stored:R} is above the {truth:R} served: counted twice");
        Assert.True(stored >= truth - (recent * cost),
            $"spend after restart {stored:R} lost {lostCalls:R} calls; only the {recent} of the last {LossWindow.TotalMilliseconds:F0} ms may be lost");
        Assert.Equal(Math.Round(lostCalls), lostCalls); // whole calls: a batch is written entirely or not at all

        // The restarted gateway starts from what was stored and adds to it once.
        using var again = gateways.ClientWithKey(restarted, key);
        using (var answer = await ReplicasGateways.ChatAsync(again))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        await gateways.WaitForSpendAsync(restarted, key, stored + cost, TimeSpan.FromSeconds(10));
    }
}
