using LlmGate.Alerting;
using LlmGate.Calls;

namespace LlmGate.Tests.Alerting;

public sealed class InFlightRegistryTests
{
    [Fact]
    public void Completed_TenThousandRequests_RegistryEmptyAndNoneHangsOnceTheThresholdPasses()
    {
        using var alerting = new AlertingFixture();
        var stillWaiting = alerting.Calls.StartRouted("gpt-4o", "d1", "openai", stream: false);
        for (var i = 0; i < 10_000; i++)
        {
            var call = alerting.Calls.StartRouted("gpt-4o", "d1", "openai", stream: i % 2 == 0);
            call.Progress();
            call.Completed();
        }

        Assert.Equal(1, alerting.Registry.Count);

        // Just short of the threshold nothing has hung, not even the request still waiting.
        alerting.Time.Advance(alerting.Options.HangingThreshold - TimeSpan.FromMilliseconds(1));
        alerting.Registry.Sweep();
        Assert.Equal(0, alerting.Count(AlertKind.Hang));

        // Past it, that one has, and only that one: the ten thousand completed requests left nothing behind to count.
        alerting.Time.Advance(TimeSpan.FromMilliseconds(2));
        alerting.Registry.Sweep();
        Assert.Equal(1, alerting.Count(AlertKind.Hang));

        stillWaiting.Completed();
        Assert.Equal(0, alerting.Registry.Count);
        Assert.Equal(1, alerting.Count(AlertKind.Hang));
    }

    [Fact]
    public void Start_RequestsInFlight_RegistryHoldsOnlyThose()
    {
        using var alerting = new AlertingFixture();
        var first = alerting.Calls.StartRouted("gpt-4o", "d1", "openai", stream: false);
        var second = alerting.Calls.StartRouted("gpt-4o", "d1", "openai", stream: false);
        alerting.Calls.StartRouted("gpt-4o", "d1", "openai", stream: false).Cancelled();
        first.Failed(AlertingFixture.ServerError());

        Assert.Equal(1, alerting.Registry.Count);
        second.Completed();
        Assert.Equal(0, alerting.Registry.Count);
    }

    [Fact]
    public void Completed_BeforeHangingThreshold_NeverCountsHang()
    {
        using var alerting = new AlertingFixture();
        var call = alerting.Calls.StartRouted("gpt-4o", "d1", "openai", stream: false);
        var control = alerting.Calls.StartRouted("gpt-4o", "d2", "openai", stream: false); // started together, never answered
        alerting.Time.Advance(alerting.Options.HangingThreshold - TimeSpan.FromMilliseconds(1));
        alerting.Registry.Sweep();
        call.Completed();
        Assert.Equal(0, alerting.Count(AlertKind.Hang));

        alerting.Time.Advance(TimeSpan.FromMinutes(5));
        alerting.Registry.Sweep();

        // The sweep does count what waited too long: the control request, not the one that completed in time.
        Assert.Equal(1, alerting.Count(AlertKind.Hang));
        control.Cancelled();
        Assert.Equal(1, alerting.Count(AlertKind.Hang));
    }

    [Fact]
    public void Sweep_RequestWaitingPastThreshold_CountsOnce()
    {
        using var alerting = new AlertingFixture();
        var call = alerting.Calls.StartRouted("gpt-4o", "d1", "openai", stream: false);
        alerting.Time.Advance(alerting.Options.HangingThreshold + TimeSpan.FromSeconds(1));
        alerting.Registry.Sweep();
        alerting.Time.Advance(TimeSpan.FromSeconds(40));
        alerting.Registry.Sweep();
        call.Completed();

        Assert.Equal(1, alerting.Count(AlertKind.Hang));
    }

    [Fact]
    public void Completed_AfterWaitingPastThresholdBetweenSweeps_CountsOnCompletion()
    {
        using var alerting = new AlertingFixture();
        var call = alerting.Calls.StartRouted("gpt-4o", "d1", "openai", stream: false);
        alerting.Time.Advance(alerting.Options.HangingThreshold + TimeSpan.FromMilliseconds(200));
        call.Completed();
        alerting.Registry.Sweep();

        Assert.Equal(1, alerting.Count(AlertKind.Hang));
    }

    [Fact]
    public void Completed_SeedThresholdOfOneTenMillionthSecond_OrdinaryRequestCountsAsHanging()
    {
        var options = AlertingFixture.DefaultOptions() with { HangingThreshold = TimeSpan.FromSeconds(0.0000001) };
        using var alerting = new AlertingFixture(options);
        var call = alerting.Calls.StartRouted("gpt-4o", "d1", "openai", stream: false);
        alerting.Time.Advance(TimeSpan.FromMilliseconds(350));
        call.Completed();

        Assert.Equal(1, alerting.Count(AlertKind.Hang));
    }

    [Fact]
    public void Progress_NonStreamedResponseHeadersThenSlowBody_CountsHang()
    {
        using var alerting = new AlertingFixture();
        var call = alerting.Calls.StartRouted("gpt-4o", "d1", "openai", stream: false);
        alerting.Time.Advance(TimeSpan.FromSeconds(20));
        call.Progress(); // headers are not the answer
        alerting.Time.Advance(TimeSpan.FromSeconds(20));
        alerting.Registry.Sweep();

        Assert.Equal(1, alerting.Count(AlertKind.Hang));
    }

    [Fact]
    public void Progress_StreamProducingChunksWithinThresholdForMinutes_NeverCounts()
    {
        using var alerting = new AlertingFixture();
        var call = alerting.Calls.StartRouted("gpt-4o", "d1", "openai", stream: true);
        for (var second = 0; second < 600; second += 5)
        {
            alerting.Time.Advance(TimeSpan.FromSeconds(5));
            call.Progress();
            alerting.Registry.Sweep();
        }

        call.Completed();

        Assert.Equal(0, alerting.Count(AlertKind.Hang));
    }

    [Fact]
    public void Progress_StreamGapsLongerThanThreshold_CountsOnce()
    {
        using var alerting = new AlertingFixture();
        var call = alerting.Calls.StartRouted("gpt-4o", "d1", "openai", stream: true);
        alerting.Time.Advance(TimeSpan.FromSeconds(1));
        call.Progress();
        alerting.Time.Advance(alerting.Options.HangingThreshold + TimeSpan.FromSeconds(5)); // a gap between sweeps
        call.Progress();
        alerting.Time.Advance(alerting.Options.HangingThreshold + TimeSpan.FromSeconds(5)); // a second gap, seen by the sweep
        alerting.Registry.Sweep();
        call.Progress();
        call.Completed();

        Assert.Equal(1, alerting.Count(AlertKind.Hang));
    }

    [Fact]
    public void Failed_AfterHanging_CountsHangAndFailure()
    {
        using var alerting = new AlertingFixture();
        var call = alerting.Calls.StartRouted("gpt-4o", "d1", "openai", stream: false);
        alerting.Time.Advance(alerting.Options.HangingThreshold + TimeSpan.FromSeconds(1));
        call.Failed(new CallFailure(504, "timeout", "upstream timed out", FailureKind.Timeout));

        Assert.Equal(1, alerting.Count(AlertKind.Hang));
        Assert.Equal(1, alerting.Count(AlertKind.Failure));
    }

    [Fact]
    public void Failed_CalledAgainAfterTheEnd_CountsOnce()
    {
        using var alerting = new AlertingFixture();
        var call = alerting.Calls.StartRouted("gpt-4o", "d1", "openai", stream: false);
        call.Failed(AlertingFixture.ServerError());
        call.Failed(AlertingFixture.ServerError());
        call.Completed();
        call.Cancelled();

        Assert.Equal(1, alerting.Count(AlertKind.Failure));
    }

    [Fact]
    public void Cancelled_BeforeThreshold_CountsNeitherFailureNorHang()
    {
        using var alerting = new AlertingFixture();
        var call = alerting.Calls.StartRouted("gpt-4o", "d1", "openai", stream: true);
        alerting.Time.Advance(TimeSpan.FromSeconds(2));
        call.Cancelled();
        alerting.Time.Advance(TimeSpan.FromMinutes(2));
        alerting.Registry.Sweep();

        Assert.Equal(0, alerting.Count(AlertKind.Failure));
        Assert.Equal(0, alerting.Count(AlertKind.Hang));
        Assert.Equal(0, alerting.Registry.Count);
    }

    [Theory]
    [InlineData(400, "UpstreamError", false)]
    [InlineData(401, "UpstreamError", false)]
    [InlineData(404, "UpstreamError", false)]
    [InlineData(422, "UpstreamError", false)]
    [InlineData(408, "UpstreamError", true)]
    [InlineData(429, "UpstreamError", true)]
    [InlineData(500, "UpstreamError", true)]
    [InlineData(503, "UpstreamError", true)]
    [InlineData(504, "Timeout", true)]
    [InlineData(0, "Timeout", true)]
    [InlineData(502, "ConnectionFailure", true)]
    [InlineData(500, "Gateway", true)]
    [InlineData(400, "Gateway", false)]
    public void Failed_IgnoreClientErrors_CountsOnlyWhatTheClientDidNotCause(int status, string kind, bool counts)
    {
        using var alerting = new AlertingFixture(AlertingFixture.DefaultOptions() with { IgnoreClientErrors = true });
        alerting.Calls.StartRouted("gpt-4o", "d1", "openai", stream: false).Failed(new CallFailure(status, "error", "failed", Enum.Parse<FailureKind>(kind)));

        Assert.Equal(counts ? 1 : 0, alerting.Count(AlertKind.Failure));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(500)]
    public void Failed_ClientErrorsNotIgnored_EveryStatusCounts(int status)
    {
        using var alerting = new AlertingFixture();
        alerting.Calls.StartRouted("gpt-4o", "d1", "openai", stream: false).Failed(AlertingFixture.ServerError(status));

        Assert.Equal(1, alerting.Count(AlertKind.Failure));
    }
}
