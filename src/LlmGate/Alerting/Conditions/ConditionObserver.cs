using LlmGate.Calls;

namespace LlmGate.Alerting.Conditions;

/// <summary>
/// The conditions' call observer: hands each step to the wanted types' request-path halves, each O(1) and without I/O.
/// A completed, fast call costs a clock read and a compare (<c>llm_too_slow</c>) and the daily report's counters.
/// </summary>
internal sealed class ConditionObserver(ConditionSet set) : ICallObserver
{
    public void OnCallStarted(CallContext call)
    {
    }

    public void OnAttemptStarted(CallContext call, CallAttempt attempt)
    {
    }

    public void OnProgress(CallContext call, long previousProgress, long now)
    {
    }

    public void OnAttemptEnded(CallContext call, CallAttempt attempt)
    {
        set.Outage?.OnAttemptEnded(call, attempt);
        set.RegionOutage?.OnAttemptEnded(call, attempt);
        set.Daily?.OnAttemptEnded(call, attempt);
    }

    public void OnCallEnded(CallContext call)
    {
        set.Exceptions?.OnCallEnded(call);
        set.Slow?.OnCallEnded(call);
        set.Daily?.OnCallEnded(call);
        set.Fallbacks?.OnCallEnded(call);
    }
}
