using LlmGate.Calls;
using LlmGate.Configuration;

namespace LlmGate.Alerting.Conditions;

/// <summary>
/// <c>llm_too_slow</c>, per deployment: a call that completed after more than <c>alerting_threshold</c> (timed from the
/// start of its last attempt, the deployment's own time) opens the condition (LiteLLM: "Responses are slow - Xs response
/// time &gt; Alerting threshold: Ys"); it resolves after a quiet period as long as the threshold. Exactly the threshold
/// is not slow.
/// </summary>
internal sealed class SlowResponseCondition : IConditionEvaluator, IConditionDescriber
{
    public const string ClassName = "llm_too_slow";

    private readonly ConditionContext _context;
    private readonly ActivityMap _activity;
    private readonly TimeSpan _threshold;

    public SlowResponseCondition(ConditionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _threshold = context.Options.AlertingThreshold;
        _activity = new ActivityMap(context.Catalog.Deployments);
        Tracker = new ConditionTracker(Type, ClassName, this, context);
        Tracker.Restore(_threshold);
    }

    public string Type => AlertTypeNames.LlmTooSlow;

    public string Occurrences => "slow responses";

    public ConditionTracker Tracker { get; }

    /// <summary>Request path: one subtraction and a compare for every completed call; a record only for a slow one.</summary>
    public void OnCallEnded(CallContext call)
    {
        if (call.Outcome != CallOutcome.Completed || call.CurrentAttempt is not { } attempt)
        {
            return;
        }

        var took = _context.Time.GetElapsedTime(attempt.StartTimestamp);
        if (took <= _threshold)
        {
            return;
        }

        var problem = _context.Catalog.Deployment(attempt.DeploymentId);
        _activity.For(problem).Record(_context.Time.GetUtcNow(), 0, null, took.Ticks);
    }

    public void Evaluate(DateTimeOffset now)
    {
        foreach (var (problem, activity) in _activity.All)
        {
            if (activity.Drain() is { } delta)
            {
                Tracker.Record(problem, delta, 1, delta.Last + _threshold);
            }
        }

        Tracker.Tick(now);
    }

    public ConditionMessage Describe(ConditionState state, int level, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var problem = state.Problem;
        var threshold = ConditionText.Seconds(_threshold);
        var notice = new AlertNotice(
            $"Responses are slow - {ConditionText.Seconds(TimeSpan.FromTicks(state.Max).TotalSeconds)}s response time > Alerting threshold: {threshold}s (deployment {problem.Display})",
            AlertSeverity.Info)
        {
            Facts =
            [
                .. problem.DeploymentFacts(),
                new("Slowest", $"{ConditionText.Seconds(TimeSpan.FromTicks(state.Max).TotalSeconds)} s"),
                new("Slow responses", $"{ConditionText.Number(state.Count)} over {threshold} s"),
            ],
        };
        return new ConditionMessage("Responses are slow", notice);
    }
}
