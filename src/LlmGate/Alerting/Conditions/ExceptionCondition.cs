using LlmGate.Calls;
using LlmGate.Configuration;

namespace LlmGate.Alerting.Conditions;

/// <summary>
/// <c>llm_exceptions</c>, per model group: a call that failed with a real LLM API error opens the condition at once
/// (LiteLLM: "LLM API call failed: `...`"); more failures are folded in; it resolves after <c>failure_window</c> without one.
/// </summary>
internal sealed class ExceptionCondition : IConditionEvaluator, IConditionDescriber
{
    public const string ClassName = "llm_exceptions";

    private readonly ConditionContext _context;
    private readonly ActivityMap _activity;

    public ExceptionCondition(ConditionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _activity = new ActivityMap(context.Catalog.ModelGroups);
        Tracker = new ConditionTracker(Type, ClassName, this, context);
        Tracker.Restore(context.Options.FailureWindow);
    }

    public string Type => AlertTypeNames.LlmExceptions;

    public string Occurrences => "failures";

    public ConditionTracker Tracker { get; }

    /// <summary>Request path: a failed, routed call with a real API error is recorded against its model group.</summary>
    public void OnCallEnded(CallContext call)
    {
        if (call is not { Outcome: CallOutcome.Failed, Failure: { } failure, ModelGroup: { } group } || !ConditionFailures.IsLlmApiError(failure))
        {
            return;
        }

        var problem = _context.Catalog.ModelGroup(group);
        var attempt = call.CurrentAttempt;
        var deployment = attempt is null ? InFlightRegistry.NoDeploymentId : _context.Catalog.Deployment(attempt.DeploymentId).Key;
        var now = _context.Time.GetUtcNow();
        var recent = new RecentFailure(now, problem.Key, deployment, attempt?.Provider ?? "", failure.Status, failure.ErrorType, failure.Message);
        _activity.For(problem).Record(now, failure.Status, deployment, failure: recent);
    }

    public void Evaluate(DateTimeOffset now)
    {
        foreach (var (problem, activity) in _activity.All)
        {
            if (activity.Drain() is { } delta)
            {
                Tracker.Record(problem, delta, 1, delta.Last + _context.Options.FailureWindow);
            }
        }

        Tracker.Tick(now);
    }

    public ConditionMessage Describe(ConditionState state, int level, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var latest = state.RecentErrors.Count > 0 ? state.RecentErrors[^1] : (AlertObservation?)null;
        var error = latest is { } e ? $"{e.Status} {e.ErrorType}: {e.Message}" : "unknown error";
        var group = state.Problem.Display;
        var notice = new AlertNotice($"LLM API call failed: `{error}` (model group {group}, {ConditionText.Number(state.Count)} failure(s))", AlertSeverity.Error)
        {
            Facts =
            [
                new("Model group", group),
                new("Failures so far", ConditionText.Number(state.Count)),
                new("Statuses", ConditionText.Tally(state.Statuses)),
                new("Deployments", ConditionText.Tally(state.Deployments)),
                new("Quiet period", $"{ConditionText.Seconds(_context.Options.FailureWindow)} s"),
            ],
            RecentErrors = [.. state.RecentErrors],
        };
        return new ConditionMessage("LLM API call failed", notice);
    }
}
