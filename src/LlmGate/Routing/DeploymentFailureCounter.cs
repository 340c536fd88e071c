namespace LlmGate.Routing;

/// <summary>Failed attempts of one deployment since start-up, and the last one's status and time (UTC ticks).</summary>
internal sealed class DeploymentFailureCounter(string modelGroup)
{
    private long _failedAttempts;
    private int _lastStatus;
    private long _lastFailureTicks;

    public string ModelGroup { get; } = modelGroup;

    public long FailedAttempts => Interlocked.Read(ref _failedAttempts);

    public int LastStatus => Volatile.Read(ref _lastStatus);

    public long LastFailureTicks => Interlocked.Read(ref _lastFailureTicks);

    public void Record(int status, DateTimeOffset now)
    {
        Interlocked.Increment(ref _failedAttempts);
        Volatile.Write(ref _lastStatus, status);
        Interlocked.Exchange(ref _lastFailureTicks, now.UtcTicks);
    }
}
