namespace LlmGate.Calls;

/// <summary>
/// Starts calls and tells every registered <see cref="ICallObserver"/> about them: each feature registers its own
/// observer (<c>services.AddSingleton&lt;ICallObserver&gt;</c>); none registered costs a loop over an empty array.
/// </summary>
internal sealed class CallTracker(IEnumerable<ICallObserver> observers, TimeProvider time)
{
    private readonly ICallObserver[] _observers = [.. observers];
    private long _nextSequence;

    public CallContext Start(CallerIdentity caller) => new(Interlocked.Increment(ref _nextSequence), caller, _observers, time);
}
