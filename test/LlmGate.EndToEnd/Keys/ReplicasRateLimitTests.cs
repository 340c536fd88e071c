using System.Net;
using LlmGate.Keys;
using LlmGate.Testing;

namespace LlmGate.EndToEnd.Keys;

/// <summary>A key's rpm limit counted in Redis: two replicas on one PostgreSQL and one Redis serve it as one.</summary>
public sealed class ReplicasRateLimitTests
{
    // Redis databases 1-4 belong to the alerting, cooldown and their store tests.
    private const int Database = 13;

    [ReplicasFact]
    public async Task RpmLimitTen_CallsAlternatingBetweenTwoReplicas_TenServedInTotalThenRetryAfter()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var redisUrl = await TestRedis.FreshDatabaseUrlAsync(Database);
        await using var gateways = await ReplicasGateways.StartAsync(2, upstream, database.Url, redisUrl);
        await gateways.WaitUntilHealthyAsync(0, TimeSpan.FromSeconds(15)); // healthy: the store answers and Redis is shared
        await gateways.WaitUntilHealthyAsync(1, TimeSpan.FromSeconds(15));
        var key = await gateways.GenerateKeyAsync(0, """{"rpm_limit": 10}""");
        using var onA = gateways.ClientWithKey(0, key);
        using var onB = gateways.ClientWithKey(1, key);

        // The limit counts calls per UTC minute. The 20 calls below take well under a second, but a minute boundary
        // among them would start a fresh count and let more than 10 through. So when fewer than 10 s of this minute
        // remain, wait (polling the clock, bounded) for the next minute to begin; afterwards the test checks that
        // every call did fall in one minute, so a pathologically slow run fails saying so instead of miscounting.
        await WaitForRoomInMinuteAsync(TimeSpan.FromSeconds(10));
        var minute = Minute();

        List<(int Replica, HttpStatusCode Status, long? RetryAfter, string? Message)> answers = [];
        for (var i = 0; i < 20; i++)
        {
            using var answer = await ReplicasGateways.ChatAsync(i % 2 == 0 ? onA : onB);
            string? message = null;
            if (answer.StatusCode != HttpStatusCode.OK)
            {
                var error = (await ReplicasGateways.JsonOf(answer)).GetProperty("error");
                Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
                Assert.Equal("429", error.GetProperty("code").GetString());
                message = error.GetProperty("message").GetString();
            }

            answers.Add((i % 2, answer.StatusCode, answer.Headers.RetryAfter?.Delta is { } delta ? (long)delta.TotalSeconds : null, message));
        }

        Assert.True(minute == Minute(), "the calls straddled a minute boundary: the count restarted, so the totals mean nothing");
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 10), answers.Take(10).Select(a => a.Status));
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 10), answers.Skip(10).Select(a => a.Status));
        Assert.Equal(5, answers.Take(10).Count(a => a.Replica == 1)); // both replicas served: the count is shared, not split
        foreach (var refused in answers.Skip(10))
        {
            Assert.InRange(refused.RetryAfter ?? -1, 1, 60);
            Assert.StartsWith($"Rate limit exceeded for api_key: {KeyHashes.Of(key)}. Limit type: requests. Current limit: 10, Remaining: 0. Limit resets at: ",
                refused.Message, StringComparison.Ordinal);
        }

        Assert.Equal(10, upstream.Received.Count);
    }

    private static long Minute() => TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() / 60;

    private static async Task WaitForRoomInMinuteAsync(TimeSpan room)
    {
        var now = TimeProvider.System.GetUtcNow();
        var left = TimeSpan.FromSeconds(60 - now.Second) - TimeSpan.FromMilliseconds(now.Millisecond);
        if (left >= room)
        {
            return;
        }

        var start = Minute();
        var deadline = now + left + TimeSpan.FromSeconds(2);
        while (Minute() == start)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "the clock did not reach the next minute");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }
}
