namespace LlmGate.Routing;

/// <summary>One deployment's failures in the current minute and the end of its cooldown (UTC ticks; 0 = none).</summary>
internal sealed class CooldownEntry
{
    private readonly Lock _failureLock = new();
    private long _windowStartTicks;
    private int _failsInWindow;
    private long _coolUntilTicks;

    /// <summary>Read on every request: no lock.</summary>
    public long CoolUntilTicks => Volatile.Read(ref _coolUntilTicks);

    /// <summary>Failure path only (rare), so a lock keeps the window and the cooldown consistent.</summary>
    public DateTimeOffset? RecordFailure(DateTimeOffset now, int allowedFails, TimeSpan cooldownTime, TimeSpan window, TimeSpan? coolFor)
    {
        lock (_failureLock)
        {
            var nowTicks = now.UtcTicks;
            if (nowTicks - _windowStartTicks >= window.Ticks)
            {
                _windowStartTicks = nowTicks;
                _failsInWindow = 0;
            }

            _failsInWindow++;
            TimeSpan? duration = coolFor is { } asked && asked > TimeSpan.Zero ? asked
                : _failsInWindow > allowedFails ? cooldownTime
                : null;
            if (duration is not { } length)
            {
                return null;
            }

            var until = nowTicks + length.Ticks;
            if (until > Volatile.Read(ref _coolUntilTicks))
            {
                Volatile.Write(ref _coolUntilTicks, until);
            }

            return new DateTimeOffset(Volatile.Read(ref _coolUntilTicks), TimeSpan.Zero);
        }
    }
}
