using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells a test when the code under test starts waiting: a test awaits the
/// timer it expects (e.g. a 2 s back-off) and only then advances the clock, instead of guessing with sleeps.
/// </summary>
public sealed class WatchedTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly ConcurrentQueue<(Func<TimeSpan, bool> Match, TaskCompletionSource<TimeSpan> Signal)> _waiters = new();
    private readonly ConcurrentQueue<TimeSpan> _created = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _created.Enqueue(dueTime);
        foreach (var (match, signal) in _waiters)
        {
            if (match(dueTime))
            {
                signal.TrySetResult(dueTime);
            }
        }

        return timer;
    }

    /// <summary>How many timers have been created so far: a mark for <see cref="WaitForTimerAsync"/>.</summary>
    public int TimersCreated => _created.Count;

    /// <summary>
    /// Completes when a timer whose due time satisfies <paramref name="match"/> is (or was) created, not counting the
    /// first <paramref name="since"/> timers (e.g. those created before the request under test).
    /// </summary>
    public Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool> match, int since = 0)
    {
        var signal = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Enqueue((match, signal));
        foreach (var dueTime in _created.Skip(since))
        {
            if (match(dueTime))
            {
                signal.TrySetResult(dueTime);
            }
        }

        return signal.Task;
    }
}
