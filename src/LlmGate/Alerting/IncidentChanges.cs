namespace LlmGate.Alerting;

/// <summary>
/// Tells whoever shows incidents (the console's live overview) that this gateway's detector opened or resolved one, so
/// it shows the change at once rather than at its next once-a-second refresh: with both on one-second ticks, a new
/// incident could take up to two seconds to appear, depending only on how the two ticks fell.
/// </summary>
internal sealed class IncidentChanges
{
    private TaskCompletionSource _next = NewSignal();

    /// <summary>Completes at the next change after it was read.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Notify() => Interlocked.Exchange(ref _next, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
