using LlmGate.Calls;

namespace LlmGate.Tests.Calls;

/// <summary>Counts what it is told of calls, and keeps the progress gaps.</summary>
internal sealed class CountingObserver : ICallObserver
{
    public int Started { get; private set; }

    public int AttemptsStarted { get; private set; }

    public int AttemptsEnded { get; private set; }

    public int Ended { get; private set; }

    public List<(long Previous, long Now)> Gaps { get; } = [];

    public void OnCallStarted(CallContext call) => Started++;

    public void OnAttemptStarted(CallContext call, CallAttempt attempt) => AttemptsStarted++;

    public void OnProgress(CallContext call, long previousProgress, long now) => Gaps.Add((previousProgress, now));

    public void OnAttemptEnded(CallContext call, CallAttempt attempt) => AttemptsEnded++;

    public void OnCallEnded(CallContext call) => Ended++;
}
