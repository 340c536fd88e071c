namespace LlmGate.Alerting.Conditions;

/// <summary>One deployment's calls in a report period.</summary>
internal sealed record TrafficTotals(
    ConditionProblem Problem, long Requests, long Failures, long Completed, long LatencyTicks, long OutputTokens, long LatencyTicksWithTokens)
{
    public double AverageLatencySeconds => Completed == 0 ? 0 : TimeSpan.FromTicks(LatencyTicks).TotalSeconds / Completed;

    public double SecondsPerOutputToken => OutputTokens == 0 ? 0 : TimeSpan.FromTicks(LatencyTicksWithTokens).TotalSeconds / OutputTokens;
}
