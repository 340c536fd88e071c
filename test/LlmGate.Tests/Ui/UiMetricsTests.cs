using LlmGate.Calls;
using LlmGate.Tests.Alerting;
using LlmGate.Ui.Live;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Ui;

public sealed class UiMetricsTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static void Call(CallTracker calls, FakeTimeProvider time, TimeSpan latency, int? failStatus = null)
    {
        var call = calls.StartRouted("gpt-4o", "d1", "openai", stream: false);
        time.Advance(latency);
        if (failStatus is { } status)
        {
            call.Failed(new CallFailure(status, "api_error", "upstream error", FailureKind.UpstreamError));
        }
        else
        {
            call.EndAttempt(200, null);
            call.Completed();
        }
    }

    [Fact]
    public void Sum_MixedLatencies_PercentilesInTheirBuckets()
    {
        var time = new FakeTimeProvider(Start);
        var metrics = new UiMetrics(time);
        var calls = new CallTracker([metrics], time);
        for (var i = 0; i < 90; i++)
        {
            Call(calls, time, TimeSpan.FromMilliseconds(20)); // (10, 25] ms
        }

        for (var i = 0; i < 10; i++)
        {
            Call(calls, time, TimeSpan.FromMilliseconds(2_000), failStatus: 503); // (1000, 2500] ms
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var totals = metrics.Sum(now - 900, now + 1);

        Assert.Equal(100, totals.Requests);
        Assert.Equal(10, totals.Errors);
        Assert.Equal(0.1, totals.ErrorRate);
        Assert.InRange(totals.LatencyMs(0.5)!.Value, 10, 25);
        Assert.InRange(totals.LatencyMs(0.99)!.Value, 1_000, 2_500);
        var deployment = metrics.Find("d1")!;
        Assert.Equal(100, deployment.Calls);
        Assert.Equal(10, Assert.Single(deployment.FailuresByStatus(), f => f.Key == "503").Value);
        Assert.Equal(503, deployment.Recent()[0].Status);
    }

    [Fact]
    public void Sum_RingWrapsAfterFifteenMinutes_OldSecondsGone()
    {
        var time = new FakeTimeProvider(Start);
        var metrics = new UiMetrics(time);
        var calls = new CallTracker([metrics], time);
        Call(calls, time, TimeSpan.FromMilliseconds(5), failStatus: 500);
        var first = time.GetUtcNow().ToUnixTimeSeconds();

        time.Advance(TimeSpan.FromSeconds(UiMetrics.RingSeconds)); // the same slot comes round again
        Call(calls, time, TimeSpan.Zero);
        var now = time.GetUtcNow().ToUnixTimeSeconds();

        var window = metrics.Sum(now - UiMetrics.RingSeconds + 1, now + 1);
        var stale = metrics.Sum(first, first + 1);

        Assert.Equal(now % UiMetrics.RingSeconds, first % UiMetrics.RingSeconds);
        Assert.Equal(1, window.Requests);
        Assert.Equal(0, window.Errors); // the slot was cleared, not added to
        Assert.Equal(0, stale.Requests);
    }

    [Fact]
    public void Percentile_Empty_Null()
    {
        Assert.Null(UiHistogram.Percentile(new long[UiHistogram.Buckets], 0.5));
    }
}
