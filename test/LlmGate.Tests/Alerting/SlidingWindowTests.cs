using LlmGate.Alerting;

namespace LlmGate.Tests.Alerting;

public sealed class SlidingWindowTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static AlertObservation At(DateTimeOffset timestamp, string group = "gpt-4o", int status = 500, string message = "boom") =>
        new(timestamp, group, group + "-d", "openai", status, "api_error", message);

    [Fact]
    public void Count_EventExactlyOneWindowOld_IsOutside()
    {
        var window = new SlidingWindow(TimeSpan.FromSeconds(10));
        window.Record(At(Start));

        Assert.Equal(1, window.Count(Start + TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1)));
        Assert.Equal(0, window.Count(Start + TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Count_EventsSpreadOverTwoWindows_CountsOnlyTheLastWindow()
    {
        var window = new SlidingWindow(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 200; i++)
        {
            window.Record(At(Start + TimeSpan.FromMilliseconds(100 * i)));
        }

        // Events at 10.0 s .. 19.9 s are inside (10.0, 20.0]; the one at exactly 10.0 s is not.
        Assert.Equal(99, window.Count(Start + TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void Count_LongAfterTheLastEvent_IsZero()
    {
        var window = new SlidingWindow(TimeSpan.FromSeconds(10));
        window.Record(At(Start));

        Assert.Equal(0, window.Count(Start + TimeSpan.FromDays(3)));
        Assert.Empty(window.Snapshot(Start + TimeSpan.FromDays(3)).RecentErrors);
    }

    [Fact]
    public void Snapshot_ManyEvents_KeepsBreakdownAndFiveMostRecent()
    {
        var window = new SlidingWindow(TimeSpan.FromSeconds(60));
        for (var i = 0; i < 12; i++)
        {
            window.Record(At(Start + TimeSpan.FromSeconds(i), i % 3 == 0 ? "claude" : "gpt-4o", 500 + (i % 2), $"error {i}"));
        }

        var snapshot = window.Snapshot(Start + TimeSpan.FromSeconds(12));

        Assert.Equal(12, snapshot.Count);
        Assert.Equal(12, snapshot.Breakdown.Values.Sum());
        Assert.Equal(4, snapshot.Breakdown.Where(p => p.Key.ModelGroup == "claude").Sum(p => p.Value));
        Assert.Equal(["error 11", "error 10", "error 9", "error 8", "error 7"], snapshot.RecentErrors.Select(e => e.Message));
    }
}
