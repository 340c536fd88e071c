using System.Diagnostics;

namespace LlmGate.Calls;

/// <summary>
/// One client call, from the edge to its end: who made it, which model group it was routed to, each attempt at a
/// deployment, usage when known, and how it ended. Created by <see cref="CallTracker.Start"/> where the request
/// enters the proxy and ended in a <c>finally</c> there, so every call ends exactly once whatever is thrown; the first
/// of <see cref="Completed"/>, <see cref="Failed"/> or <see cref="Cancelled"/> decides the outcome, later ones are ignored.
/// Observers are told of every step; the context itself holds only ids, timestamps and flags, never a body.
/// </summary>
internal sealed class CallContext
{
    private readonly ICallObserver[] _observers;
    private readonly TimeProvider _time;
    private CallAttempt? _current;

    // Most calls make one attempt: a list only once there is a second.
    private List<CallAttempt>? _attempts;
    private int _attemptCount;
    private long _lastProgress;
    private int _ended;

    internal CallContext(long sequence, CallerIdentity caller, ICallObserver[] observers, TimeProvider time)
    {
        Sequence = sequence;
        Caller = caller;
        _observers = observers;
        _time = time;
        StartTimestamp = time.GetTimestamp();
        _lastProgress = StartTimestamp;
        foreach (var observer in observers)
        {
            observer.OnCallStarted(this);
        }
    }

    /// <summary>Unique among this process's calls; observers key their own per-call state by it.</summary>
    public long Sequence { get; }

    /// <summary>
    /// The id the client sees as <c>x-litellm-call-id</c>; made when first asked for, and only once even when two threads
    /// ask at once (a JSON log line written by a timer's callback in the call's scope), so log and header never differ.
    /// </summary>
    public string CallId => field ?? Interlocked.CompareExchange(ref field, CallIds.New(_time.GetUtcNow()), null) ?? field;

    public CallerIdentity Caller { get; }

    public long StartTimestamp { get; }

    /// <summary>The wall-clock start, worked out from <see cref="StartTimestamp"/> when asked for (most calls never are).</summary>
    public DateTimeOffset StartedAt => _time.GetUtcNow() - _time.GetElapsedTime(StartTimestamp);

    /// <summary>The model group the client's model resolved to; null while (or when never) routed.</summary>
    public string? ModelGroup { get; private set; }

    /// <summary>
    /// LiteLLM's <c>requested_model</c>: the model group, except for one a wildcard group serves, where it is the model
    /// asked for (<c>gpt-4o</c>, not <c>openai/*</c>), as LiteLLM names such a call's group. Null while not routed.
    /// </summary>
    public string? RequestedModel { get; private set; }

    public bool Stream { get; private set; }

    /// <summary>Every attempt in order; built when asked for (observers that need more than the current one).</summary>
    public IReadOnlyList<CallAttempt> Attempts => _attempts ?? (_current is { } only ? [only] : []);

    /// <summary>The attempt in progress, else the last one made; null before the first. Safe to read from any thread.</summary>
    public CallAttempt? CurrentAttempt => Volatile.Read(ref _current);

    public long LastProgressTimestamp => Volatile.Read(ref _lastProgress);

    public CallOutcome Outcome { get; private set; }

    /// <summary>Set when <see cref="Outcome"/> is <see cref="CallOutcome.Failed"/>.</summary>
    public CallFailure? Failure { get; private set; }

    /// <summary>Tokens used, when the provider reported them.</summary>
    public TokenUsage? Usage { get; set; }

    /// <summary>The answer's finish reason (<c>stop</c>, <c>length</c>, <c>tool_calls</c>, ...) when it gave one; for traces.</summary>
    public string? FinishReason { get; set; }

    /// <summary>What the call cost in USD, once its usage is priced (the spend observer sets it when the call ends).</summary>
    public double? Cost { get; set; }

    /// <summary>
    /// What a feature holds against the call until it ends (a key's budget reservation, its parallel-request slot);
    /// that feature's observer settles it when the call ends.
    /// </summary>
    public ICallCharge? Charge { get; set; }

    public bool HasEnded => Volatile.Read(ref _ended) != 0;

    /// <summary>The call's span, when tracing is on and sampled it; the tracing observer's slot, null otherwise.</summary>
    public Activity? Span { get; set; }

    /// <summary>The client's model resolved to <paramref name="modelGroup"/>: from here on, the call is the gateway's to serve.</summary>
    /// <param name="requestedModel">The model asked for, when a wildcard group serves it; null for the group's own name.</param>
    public void Routed(string modelGroup, bool stream, string callType = "acompletion", string? requestedModel = null) =>
        (ModelGroup, Stream, CallType, RequestedModel) = (modelGroup, stream, callType, requestedModel ?? modelGroup);

    /// <summary>LiteLLM's name for what was asked (<c>acompletion</c>, <c>atext_completion</c>, <c>aembedding</c>), for spend logs.</summary>
    public string CallType { get; private set; } = "acompletion";

    public CallAttempt StartAttempt(string modelGroup, string deploymentId, string provider, string? upstreamModel = null)
    {
        var attempt = new CallAttempt(_attemptCount++, modelGroup, deploymentId, provider, _time.GetTimestamp(), upstreamModel);
        if (_current is { } previous)
        {
            (_attempts ??= [previous]).Add(attempt);
        }

        Volatile.Write(ref _current, attempt);
        foreach (var observer in _observers)
        {
            observer.OnAttemptStarted(this, attempt);
        }

        return attempt;
    }

    /// <summary>Response headers or a chunk arrived for the current attempt.</summary>
    public void Progress()
    {
        if (HasEnded)
        {
            return;
        }

        var now = _time.GetTimestamp();
        if (_current is { } attempt)
        {
            if (attempt.FirstByteTimestamp is null)
            {
                attempt.FirstByteTimestamp = now;
            }
            else
            {
                attempt.FirstChunkTimestamp ??= now;
            }
        }

        var previous = Interlocked.Exchange(ref _lastProgress, now);
        foreach (var observer in _observers)
        {
            observer.OnProgress(this, previous, now);
        }
    }

    /// <summary>Ends the current attempt with the status it got; <paramref name="error"/> null for one whose answer is relayed.</summary>
    public void EndAttempt(int status, FailureKind? error)
    {
        if (_current is not { HasEnded: false } attempt)
        {
            return;
        }

        attempt.Status = status;
        attempt.Error = error;
        attempt.EndTimestamp = _time.GetTimestamp();
        foreach (var observer in _observers)
        {
            observer.OnAttemptEnded(this, attempt);
        }
    }

    public void Completed() => End(CallOutcome.Completed, null);

    public void Failed(CallFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (_current is { HasEnded: false })
        {
            EndAttempt(failure.Status, failure.Kind);
        }

        End(CallOutcome.Failed, failure);
    }

    public void Cancelled()
    {
        if (_current is { HasEnded: false })
        {
            EndAttempt(499, null);
        }

        End(CallOutcome.Cancelled, null);
    }

    private void End(CallOutcome outcome, CallFailure? failure)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        Outcome = outcome;
        Failure = failure;
        foreach (var observer in _observers)
        {
            observer.OnCallEnded(this);
        }
    }
}
