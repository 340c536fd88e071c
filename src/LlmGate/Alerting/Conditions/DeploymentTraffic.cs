namespace LlmGate.Alerting.Conditions;

/// <summary>One deployment's calls since the last daily report: counters only, added to without a lock.</summary>
internal sealed class DeploymentTraffic(ConditionProblem problem)
{
    private long _requests;
    private long _failures;
    private long _completed;
    private long _latencyTicks;
    private long _outputTokens;
    private long _latencyTicksWithTokens;

    public ConditionProblem Problem { get; } = problem;

    public void Attempted(bool failed)
    {
        Interlocked.Increment(ref _requests);
        if (failed)
        {
            Interlocked.Increment(ref _failures);
        }
    }

    public void Completed(long latencyTicks, long outputTokens)
    {
        Interlocked.Increment(ref _completed);
        Interlocked.Add(ref _latencyTicks, latencyTicks);
        if (outputTokens > 0)
        {
            Interlocked.Add(ref _outputTokens, outputTokens);
            Interlocked.Add(ref _latencyTicksWithTokens, latencyTicks);
        }
    }

    /// <summary>The counts since the last call, and zeroes them (a call ending in between lands in one period or the next).</summary>
    public TrafficTotals Drain() => new(
        Problem,
        Interlocked.Exchange(ref _requests, 0),
        Interlocked.Exchange(ref _failures, 0),
        Interlocked.Exchange(ref _completed, 0),
        Interlocked.Exchange(ref _latencyTicks, 0),
        Interlocked.Exchange(ref _outputTokens, 0),
        Interlocked.Exchange(ref _latencyTicksWithTokens, 0));
}
