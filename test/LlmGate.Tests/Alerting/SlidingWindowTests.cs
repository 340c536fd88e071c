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
    public void Peak_BurstSplitByTheLastEvaluation_CountsTheWholeBurst()
    {
        var window = new SlidingWindow(TimeSpan.FromSeconds(1));
        var tick = Start + TimeSpan.FromSeconds(1);
        window.Record(At(tick - TimeSpan.FromMilliseconds(100)));
        Assert.Equal(1, window.Peak(Start, tick));
        window.Record(At(tick + TimeSpan.FromMilliseconds(100)));
        window.Record(At(tick + TimeSpan.FromMilliseconds(200)));

        var next = tick + TimeSpan.FromSeconds(1);
        Assert.Equal(2, window.Count(next)); // the sample at the next tick has lost the first
        Assert.Equal(3, window.Peak(tick, next)); // the window ending at the third held all three
    }

    [Fact]
    public void Peak_WindowsEndingAtOrBeforeSince_AreNotCountedAgain()
    {
        var window = new SlidingWindow(TimeSpan.FromSeconds(10));
        window.Record(At(Start));
        window.Record(At(Start + TimeSpan.FromSeconds(1)));
        window.Record(At(Start + TimeSpan.FromSeconds(8)));

        // Ends in (10.5, 11.5]: the event at 0 s has left, the one at 1 s leaves at 11 s.
        Assert.Equal(2, window.Peak(Start + TimeSpan.FromSeconds(10.5), Start + TimeSpan.FromSeconds(11.5)));
        Assert.Equal(1, window.Count(Start + TimeSpan.FromSeconds(11.5)));
        Assert.Equal(1, window.Peak(Start + TimeSpan.FromSeconds(11.5), Start + TimeSpan.FromSeconds(11.5))); // since = now: the count at now
        Assert.Equal(0, window.Peak(Start + TimeSpan.FromSeconds(30), Start + TimeSpan.FromSeconds(31)));
    }

    [Fact]
    public void Peak_ManyEventsInSlidingWindows_EqualsTheBruteForceMaximum()
    {
        var window = new SlidingWindow(TimeSpan.FromSeconds(1));
        var random = new Random(7);
        var times = Enumerable.Range(0, 400).Select(_ => Start + TimeSpan.FromMilliseconds(random.Next(0, 3000))).Order().ToList();
        foreach (var time in times)
        {
            window.Record(At(time));
        }

        var since = Start + TimeSpan.FromSeconds(2);
        var now = Start + TimeSpan.FromSeconds(3);
        // The windows that end at an event in (since, now] or just after since; slots of W/1000 coalesce events 1 ms apart.
        var ends = times.Where(t => t > since && t <= now).Append(since + TimeSpan.FromTicks(1));
        var expected = ends.Max(end => times.Count(t => t > end - TimeSpan.FromSeconds(1) && t <= end));
        Assert.Equal(expected, window.Peak(since, now));
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
