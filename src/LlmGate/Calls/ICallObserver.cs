namespace LlmGate.Calls;

/// <summary>
/// Watches calls as the proxy makes them: alerting today, metrics, traces and spend next. Each method is called on the
/// request's thread and must return at once: O(1), no I/O, no lock that can contend. <see cref="OnCallEnded"/> is
/// called exactly once per call, whatever happened, and always last.
/// </summary>
internal interface ICallObserver
{
    /// <summary>The call was authenticated and its body is about to be read.</summary>
    void OnCallStarted(CallContext call);

    /// <summary>A deployment was chosen and the request is about to be sent to it.</summary>
    void OnAttemptStarted(CallContext call, CallAttempt attempt);

    /// <summary>
    /// The response headers, the first chunk or a later chunk of a stream arrived. <paramref name="previousProgress"/>
    /// is the timestamp of the call's last progress before this one (its start when there was none).
    /// </summary>
    void OnProgress(CallContext call, long previousProgress, long now);

    /// <summary>The attempt ended: its answer is being relayed, or it failed (and the call may try again).</summary>
    void OnAttemptEnded(CallContext call, CallAttempt attempt);

    /// <summary>The call ended: <see cref="CallContext.Outcome"/> says how.</summary>
    void OnCallEnded(CallContext call);
}
