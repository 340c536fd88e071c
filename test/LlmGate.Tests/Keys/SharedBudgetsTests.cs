using LlmGate.Keys;
using LlmGate.Redis;
using LlmGate.Testing;
using LlmGate.Tests.Alerting;
using LlmGate.Tests.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Keys;

/// <summary>Budget reservations and rate limits shared by two replicas through a real Redis.</summary>
public sealed class SharedBudgetsTests
{
    private const int Database = 5;
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [RedisFact]
    public async Task FiftyReservationsThroughTwoReplicas_OnlyWhatFitsTheBudgetIsReserved()
    {
        var time = new FakeTimeProvider(Start);
        var url = await TestRedis.FreshDatabaseUrlAsync(Database);
        await using var a = await ConnectAsync(url, time);
        await using var b = await ConnectAsync(url, time);
        var budgetsA = new SharedBudgets(a, time);
        var budgetsB = new SharedBudgets(b, time);
        var keyOnA = Key("k1");
        var keyOnB = Key("k1");

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            (i % 2 == 0 ? budgetsA : budgetsB).TryReserveAsync(i % 2 == 0 ? keyOnA : keyOnB, maxBudget: 1.0, amount: 0.1, SharedBudgets.Member($"call-{i}", 0.1))));

        Assert.All(results, r => Assert.NotNull(r));
        Assert.Equal(10, results.Count(r => r!.Value.Reserved));
    }

    [RedisFact]
    public async Task Settling_ReleasesTheReservationAndCountsTheCostForEveryReplica()
    {
        var time = new FakeTimeProvider(Start);
        var url = await TestRedis.FreshDatabaseUrlAsync(Database);
        await using var a = await ConnectAsync(url, time);
        await using var b = await ConnectAsync(url, time);
        var budgetsA = new SharedBudgets(a, time);
        var budgetsB = new SharedBudgets(b, time);
        var keyOnA = Key("k2");
        var keyOnB = Key("k2");

        var member = SharedBudgets.Member("call-1", 0.6);
        Assert.True((await budgetsA.TryReserveAsync(keyOnA, 1.0, 0.6, member))!.Value.Reserved);
        Assert.False((await budgetsB.TryReserveAsync(keyOnB, 1.0, 0.6, SharedBudgets.Member("call-2", 0.6)))!.Value.Reserved);

        budgetsA.Settle(keyOnA, member, 0.25);
        var after = await PollAsync(() => budgetsB.TryReserveAsync(keyOnB, 1.0, 0.6, SharedBudgets.Member("call-3", 0.6)), r => r.Reserved);

        Assert.Equal(0.25, after.Spend, 9); // replica B never saw the call, but counts its cost
    }

    [RedisFact]
    public async Task AReplicaThatDiesMidCall_HoldsItsReservationOnlyUntilItExpires()
    {
        var time = new FakeTimeProvider(Start);
        var url = await TestRedis.FreshDatabaseUrlAsync(Database);
        await using var a = await ConnectAsync(url, time);
        var budgets = new SharedBudgets(a, time);
        var key = Key("k3");

        Assert.True((await budgets.TryReserveAsync(key, 1.0, 0.9, SharedBudgets.Member("lost", 0.9)))!.Value.Reserved);
        Assert.False((await budgets.TryReserveAsync(key, 1.0, 0.9, SharedBudgets.Member("next", 0.9)))!.Value.Reserved);

        time.Advance(SharedBudgets.ReservationLifetime + TimeSpan.FromSeconds(1));

        Assert.True((await budgets.TryReserveAsync(key, 1.0, 0.9, SharedBudgets.Member("next", 0.9)))!.Value.Reserved);
    }

    [RedisFact]
    public async Task SharedRateLimits_CountRequestsOfBothReplicasInOneMinute()
    {
        var time = new FakeTimeProvider(Start);
        var url = await TestRedis.FreshDatabaseUrlAsync(Database);
        await using var a = await ConnectAsync(url, time);
        await using var b = await ConnectAsync(url, time);
        var limitsA = new SharedRateLimits(a);
        var limitsB = new SharedRateLimits(b);
        var limits = new EntityLimits { RpmLimit = 3 };
        var minute = RateMinute.Of(Start);

        var results = new List<SharedRateResult?>();
        for (var i = 0; i < 4; i++)
        {
            results.Add(await (i % 2 == 0 ? limitsA : limitsB).TryAcquireAsync(Key("k4"), limits, minute));
        }

        Assert.Equal([null, null, null, RateLimitKind.Requests], results.Select(r => r!.Refused));
        Assert.Equal(0, results[2]!.RemainingRequests);
        Assert.Null((await limitsA.TryAcquireAsync(Key("k4"), limits, minute + 1))!.Refused);
    }

    private static CachedEntity Key(string id) => new(SpendEntityKind.Key, id, EntityPolicy.Of(new EntityLimits { MaxBudget = 1.0 }, [], blocked: false));

    private static async Task<RedisConnection> ConnectAsync(string url, TimeProvider time)
    {
        var connection = PatientRedis.Connection(url, time);
        await connection.ConnectAsync();
        return connection;
    }

    private static async Task<T> PollAsync<T>(Func<Task<T?>> read, Func<T, bool> done)
        where T : struct
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            if (await read() is { } value && (done(value) || DateTime.UtcNow > deadline))
            {
                return value;
            }

            await Task.Delay(20);
        }
    }
}
