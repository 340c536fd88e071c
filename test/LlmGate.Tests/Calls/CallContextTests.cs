using System.Globalization;
using LlmGate.Calls;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Calls;

public sealed class CallContextTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly CountingObserver _observer = new();

    private CallContext Start() => new CallTracker([_observer, new CountingObserver()], _time).Start(CallerIdentity.MasterKey);

    [Fact]
    public void Ends_SecondAndThirdEndIgnored_ObserversToldOnceWithTheFirstOutcome()
    {
        var call = Start();

        call.Failed(new CallFailure(503, "api_error", "down", FailureKind.UpstreamError));
        call.Completed();
        call.Cancelled();

        Assert.Equal((CallOutcome.Failed, 503), (call.Outcome, call.Failure!.Status));
        Assert.Equal(1, _observer.Ended);
        Assert.True(call.HasEnded);
    }

    [Fact]
    public void Attempts_RetryAndFallback_KeptInOrderEachWithItsOwnEnd()
    {
        var call = Start();
        call.Routed("gpt-4o", stream: false);

        call.StartAttempt("gpt-4o", "a", "openai");
        _time.Advance(TimeSpan.FromMilliseconds(40));
        call.EndAttempt(500, FailureKind.UpstreamError);
        call.StartAttempt("gpt-4o", "b", "openai");
        call.EndAttempt(429, FailureKind.UpstreamError);
        call.StartAttempt("gpt-4o-mini", "c", "azure");
        call.Progress();
        call.EndAttempt(200, null);
        call.Completed();

        Assert.Equal(
            [(0, "gpt-4o", "a", 500), (1, "gpt-4o", "b", 429), (2, "gpt-4o-mini", "c", 200)],
            call.Attempts.Select(a => (a.Number, a.ModelGroup, a.DeploymentId, a.Status)));
        Assert.Equal(TimeSpan.FromMilliseconds(40), _time.GetElapsedTime(call.Attempts[0].StartTimestamp, call.Attempts[0].EndTimestamp!.Value));
        Assert.Same(call.Attempts[2], call.CurrentAttempt);
        Assert.Equal((3, 3), (_observer.AttemptsStarted, _observer.AttemptsEnded));
    }

    [Fact]
    public void Failed_WithAnAttemptOpen_EndsItWithTheFailure()
    {
        var call = Start();
        call.StartAttempt("g", "d", "openai");

        call.Failed(new CallFailure(408, "timeout", "slow", FailureKind.Timeout));

        Assert.Equal((408, FailureKind.Timeout), (call.CurrentAttempt!.Status, call.CurrentAttempt.Error));
        Assert.Equal(1, _observer.AttemptsEnded);
    }

    [Fact]
    public void Progress_FirstByteOnceAndTheGapSinceTheLastProgress_NothingAfterTheEnd()
    {
        var call = Start();
        call.StartAttempt("g", "d", "openai");
        _time.Advance(TimeSpan.FromSeconds(2));

        call.Progress();
        var firstByte = call.CurrentAttempt!.FirstByteTimestamp;
        _time.Advance(TimeSpan.FromSeconds(3));
        call.Progress();
        call.Completed();
        call.Progress();

        Assert.Equal(firstByte, call.CurrentAttempt.FirstByteTimestamp);
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)], _observer.Gaps.Select(g => _time.GetElapsedTime(g.Previous, g.Now)));
    }

    [Fact]
    public void Cancelled_WithAnAttemptOpen_AttemptEndsAsClientClosed()
    {
        var call = Start();
        call.StartAttempt("g", "d", "openai");

        call.Cancelled();

        Assert.Equal((CallOutcome.Cancelled, 499, (FailureKind?)null), (call.Outcome, call.CurrentAttempt!.Status, call.CurrentAttempt.Error));
    }

    [Fact]
    public void Start_EachCall_ItsOwnSequenceAndCallIdAndEveryObserverTold()
    {
        var tracker = new CallTracker([_observer], _time);

        var first = tracker.Start(CallerIdentity.Anonymous);
        var second = tracker.Start(CallerIdentity.MasterKey);

        Assert.NotEqual(first.Sequence, second.Sequence);
        Assert.NotEqual(first.CallId, second.CallId);
        Assert.Equal(first.CallId, first.CallId);
        // A UUIDv7 stamped with the gateway's clock, not the machine's.
        Assert.StartsWith(_time.GetUtcNow().ToUnixTimeMilliseconds().ToString("x12", CultureInfo.InvariantCulture), first.CallId.Replace("-", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(2, _observer.Started);
    }
}
