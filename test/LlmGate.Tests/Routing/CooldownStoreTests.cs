using LlmGate.Configuration;
using LlmGate.Routing;

namespace LlmGate.Tests.Routing;

public sealed class CooldownStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RecordFailure_AllowedFailsWithinAMinute_NoCooldownUntilOneMore()
    {
        var store = new InMemoryCooldownStore(new RouterOptions { AllowedFails = 3, CooldownTime = TimeSpan.FromSeconds(5) });

        for (var i = 0; i < 3; i++)
        {
            Assert.Null(store.RecordFailure("a", Start.AddSeconds(i), null));
        }

        var until = store.RecordFailure("a", Start.AddSeconds(10), null);

        Assert.Equal(Start.AddSeconds(15), until);
        Assert.Equal(until, store.CoolingDownUntil("a", Start.AddSeconds(14.9)));
        Assert.Null(store.CoolingDownUntil("a", Start.AddSeconds(15)));
        Assert.Null(store.CoolingDownUntil("b", Start.AddSeconds(11)));
    }

    [Fact]
    public void RecordFailure_FailuresSpreadOverMoreThanAMinute_NeverCoolsDown()
    {
        var store = new InMemoryCooldownStore(new RouterOptions { AllowedFails = 1 });

        Assert.Null(store.RecordFailure("a", Start, null));
        Assert.Null(store.RecordFailure("a", Start.AddSeconds(61), null));

        Assert.Empty(store.ListCoolingDown(Start.AddSeconds(61)));
    }

    [Fact]
    public void RecordFailure_RetryAfter_CoolsDownAtOnceForThatLong()
    {
        var store = new InMemoryCooldownStore(new RouterOptions { AllowedFails = 3 });

        var until = store.RecordFailure("a", Start, TimeSpan.FromSeconds(20));

        Assert.Equal(Start.AddSeconds(20), until);
        Assert.Equal([new KeyValuePair<string, DateTimeOffset>("a", Start.AddSeconds(20))], store.ListCoolingDown(Start.AddSeconds(1)));
    }

    [Fact]
    public void RecordFailure_HugeRetryAfter_IsCapped()
    {
        var store = new InMemoryCooldownStore(RouterOptions.Default);

        var until = store.RecordFailure("a", Start, TimeSpan.FromDays(1));

        Assert.Equal(Start + InMemoryCooldownStore.MaxRetryAfterCooldown, until);
    }

    [Fact]
    public void Snapshot_JoinsFailedAttemptsWithCooldowns()
    {
        var store = new InMemoryCooldownStore(new RouterOptions { AllowedFails = 0 });
        var health = new DeploymentHealth(store);
        health.RecordFailedAttempt("a", "gpt-4o", 500, Start);
        health.RecordFailedAttempt("a", "gpt-4o", 503, Start.AddSeconds(1));
        health.RecordFailedAttempt("b", "gpt-4o", 400, Start);
        store.RecordFailure("a", Start.AddSeconds(1), null);

        var snapshot = health.Snapshot(Start.AddSeconds(2));

        Assert.Equal(
            [
                new DeploymentHealthStatus("a", "gpt-4o", 2, 503, Start.AddSeconds(1), Start.AddSeconds(6)),
                new DeploymentHealthStatus("b", "gpt-4o", 1, 400, Start, null),
            ],
            snapshot);
    }
}
