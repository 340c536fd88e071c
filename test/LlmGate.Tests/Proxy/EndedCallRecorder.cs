using LlmGate.Calls;

namespace LlmGate.Tests.Proxy;

/// <summary>Hands over the first call that ends, so a test can wait for it instead of guessing how long it takes.</summary>
internal sealed class EndedCallRecorder : ICallObserver
{
    private readonly TaskCompletionSource<CallContext> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<CallContext> Ended => _ended.Task;

    /// <summary>How the call ended ("Cancelled", "Failed Timeout"), null while it runs.</summary>
    public string? EndedAs { get; private set; }

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
    }

    public void OnCallEnded(CallContext call)
    {
        EndedAs = $"{call.Outcome} {call.Failure?.Kind}".TrimEnd();
        _ended.TrySetResult(call);
    }
}
