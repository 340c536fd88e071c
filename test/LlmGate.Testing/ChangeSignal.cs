namespace LlmGate.Testing;

/// <summary>
/// A fake's "something changed" signal: <see cref="Signal"/> (called under the fake's lock) wakes every
/// <see cref="WaitForAsync"/>, which re-checks its condition under that lock until it holds or the timeout passes.
/// </summary>
internal sealed class ChangeSignal(Lock gate, string fakeName)
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Call while holding the fake's lock.</summary>
    public void Signal()
    {
        var changed = _changed;
        _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    /// <param name="describe">What the fake has so far, for the timeout's message (called under the lock).</param>
    public async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string what, Func<string>? describe = null)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (gate)
            {
                if (condition())
                {
                    return;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                string state;
                lock (gate)
                {
                    state = describe is null ? "" : "; " + describe();
                }

                throw new TimeoutException($"The {fakeName} did not get {what} within {timeout}{state}.");
            }
        }
    }
}
