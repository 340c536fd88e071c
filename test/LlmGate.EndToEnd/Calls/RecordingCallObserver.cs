using System.Collections.Concurrent;
using LlmGate.Calls;

namespace LlmGate.EndToEnd.Calls;

/// <summary>A call observer that keeps every event it is told, in order, and each call once it has ended.</summary>
internal sealed class RecordingCallObserver : ICallObserver
{
    private readonly TaskCompletionSource _firstEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<string> Events { get; } = new();

    public ConcurrentQueue<CallContext> Ended { get; } = new();

    /// <summary>Completes when a call has ended (the observer is told before the response is complete on the wire).</summary>
    public Task FirstEnded => _firstEnded.Task;

    public void OnCallStarted(CallContext call) => Events.Enqueue($"{call.Sequence}:call-started");

    public void OnAttemptStarted(CallContext call, CallAttempt attempt) => Events.Enqueue($"{call.Sequence}:attempt-started:{attempt.DeploymentId}");

    public void OnProgress(CallContext call, long previousProgress, long now) => Events.Enqueue($"{call.Sequence}:progress");

    public void OnAttemptEnded(CallContext call, CallAttempt attempt) => Events.Enqueue($"{call.Sequence}:attempt-ended:{attempt.DeploymentId}:{attempt.Status}");

    public void OnCallEnded(CallContext call)
    {
        Events.Enqueue($"{call.Sequence}:call-ended:{call.Outcome}");
        Ended.Enqueue(call);
        _firstEnded.TrySetResult();
    }
}
