using LlmGate.Configuration;
using LlmGate.Keys;

namespace LlmGate.Tests.Keys;

public sealed class BudgetCounterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryReserve_RefusesWhenTheReservationWouldCrossTheBudget()
    {
        var counter = new BudgetCounter(SpendEntityKind.Key, "k");
        counter.Load(0.5, null);

        Assert.True(counter.TryReserve(0.3, 1.0, null, Now, out var spend));
        Assert.Equal(0.5, spend);
        Assert.False(counter.TryReserve(0.3, 1.0, null, Now, out _)); // 0.5 + 0.3 reserved + 0.3 > 1.0
        Assert.True(counter.TryReserve(0.2, 1.0, null, Now, out _));
    }

    [Fact]
    public void TryReserve_RefusesAtTheBudgetEvenForAFreeCall()
    {
        var counter = new BudgetCounter(SpendEntityKind.Key, "k");
        counter.Load(1.0, null);

        Assert.False(counter.TryReserve(0, 1.0, null, Now, out var spend));
        Assert.Equal(1.0, spend);
        Assert.True(counter.TryReserve(0, null, null, Now, out _));
    }

    [Fact]
    public void Settle_ReleasesTheReservationAndCountsTheRealCost()
    {
        var counter = new BudgetCounter(SpendEntityKind.Key, "k");
        Assert.True(counter.TryReserve(0.6, 1.0, null, Now, out _));
        Assert.False(counter.TryReserve(0.6, 1.0, null, Now, out _));

        Assert.True(counter.Settle(0.6, 0.1, null, Now));

        Assert.Equal(0.1, counter.Spend, 9);
        Assert.True(counter.TryReserve(0.6, 1.0, null, Now, out _));
    }

    [Fact]
    public void ConcurrentReservations_NeverLetSpendPassTheBudget()
    {
        var counter = new BudgetCounter(SpendEntityKind.Key, "k");
        var admitted = 0;
        Parallel.For(0, 200, i =>
        {
            if (counter.TryReserve(0.01, 0.1, null, Now, out _))
            {
                Interlocked.Increment(ref admitted);
                counter.Settle(0.01, 0.01, null, Now);
            }
        });

        Assert.Equal(10, admitted);
        Assert.True(counter.Spend <= 0.1 + 1e-9);
    }

    [Fact]
    public void MoneyTakenForWriting_StaysCountedUntilCommittedThenMovesToStored()
    {
        var counter = new BudgetCounter(SpendEntityKind.Key, "k");
        counter.Load(1, null);
        counter.Settle(0, 0.25, null, Now);

        var (amount, reset, period) = counter.TakeUnflushed();
        Assert.Equal(0.25, amount);
        Assert.Null(reset);
        Assert.Equal(1.25, counter.Spend);

        counter.Committed(amount, period);
        Assert.Equal(1.25, counter.Spend);

        // The store read after the commit holds the batch: loading it changes nothing.
        counter.Load(1.25, null);
        Assert.Equal(1.25, counter.Spend);
    }

    [Fact]
    public void APeriodThatEnds_StartsSpendAgainAndAsksTheStoreToResetOnce()
    {
        Assert.True(BudgetDuration.TryParse("1h", out var hour));
        var counter = new BudgetCounter(SpendEntityKind.Team, "t");
        counter.Load(0.9, Now.AddMinutes(30));

        Assert.False(counter.TryReserve(0.2, 1.0, hour, Now, out _));
        Assert.True(counter.TryReserve(0.2, 1.0, hour, Now.AddMinutes(31), out var spend));
        Assert.Equal(0, spend);

        var (_, reset, _) = counter.TakeUnflushed();
        Assert.NotNull(reset);
        Assert.Equal(Now.AddMinutes(30), reset.ExpectedResetAt);
        Assert.Equal(Now.AddMinutes(90), reset.NextResetAt);
        Assert.Null(counter.TakeUnflushed().Reset);
    }

    [Fact]
    public void MoneyInFlightWhenThePeriodEnds_IsNotCarriedIntoTheNewPeriod()
    {
        Assert.True(BudgetDuration.TryParse("1h", out var hour));
        var counter = new BudgetCounter(SpendEntityKind.Key, "k");
        counter.Load(0, Now.AddMinutes(30));
        counter.Settle(0, 0.5, hour, Now);
        var (amount, _, period) = counter.TakeUnflushed();

        counter.Settle(0, 0.1, hour, Now.AddMinutes(31)); // the period ends here
        counter.Committed(amount, period);

        Assert.Equal(0.1, counter.Spend, 9);
    }

    [Fact]
    public void AStoreStillInAnEndedPeriod_DoesNotBringItsSpendBack()
    {
        Assert.True(BudgetDuration.TryParse("1h", out var hour));
        var counter = new BudgetCounter(SpendEntityKind.Key, "k");
        counter.Load(0.9, Now.AddMinutes(30));
        counter.Settle(0, 0.1, hour, Now.AddMinutes(31));

        counter.Load(0.9, Now.AddMinutes(30)); // read before this gateway's reset was written

        Assert.Equal(0.1, counter.Spend, 9);
    }
}
