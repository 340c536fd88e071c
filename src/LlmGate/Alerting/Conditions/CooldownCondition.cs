using LlmGate.Configuration;
using LlmGate.Routing;

namespace LlmGate.Alerting.Conditions;

/// <summary>
/// <c>cooldown_deployment</c>, per deployment: the router put it into cooldown. ONE trigger with the status that caused
/// it and until when; further cooldowns while it is open extend it (folded, counted); ONE resolve once it is over.
/// </summary>
internal sealed class CooldownCondition : IConditionEvaluator, IConditionDescriber, ICooldownListener
{
    public const string ClassName = "llmgate_cooldown";

    private readonly ConditionContext _context;
    private readonly ActivityMap _activity;

    public CooldownCondition(ConditionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _activity = new ActivityMap(context.Catalog.Deployments);
        Tracker = new ConditionTracker(Type, ClassName, this, context);
        Tracker.Restore(TimeSpan.Zero); // the cooldowns were in memory: a deployment cooling down again is told again
    }

    public string Type => AlertTypeNames.CooldownDeployment;

    public string Occurrences => "cooldowns";

    public ConditionTracker Tracker { get; }

    /// <summary>Request path (after the cooldown is recorded): the cooldown's end is kept as the activity's largest value.</summary>
    public void OnCooldownStarted(string deploymentId, string modelGroup, int status, DateTimeOffset until)
    {
        var problem = _context.Catalog.Deployment(deploymentId);
        _activity.For(problem).Record(_context.Time.GetUtcNow(), status, null, until.UtcTicks);
    }

    public void Evaluate(DateTimeOffset now)
    {
        foreach (var (problem, activity) in _activity.All)
        {
            if (activity.Drain() is { } delta)
            {
                Tracker.Record(problem, delta, 1, Until(delta.Max));
            }
        }

        Tracker.Tick(now);
    }

    public ConditionMessage Describe(ConditionState state, int level, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var problem = state.Problem;
        var until = Until(state.Max);
        var statuses = string.Join(", ", state.Statuses.Keys.Order());
        var notice = new AlertNotice(
            $"Deployment in cooldown: {problem.Display} after status {statuses}, until {ConditionText.Time(until)}",
            AlertSeverity.Warning)
        {
            Facts =
            [
                .. problem.DeploymentFacts(),
                new("Caused by status", statuses),
                new("Until", ConditionText.Time(until)),
                new("Cooldowns", ConditionText.Number(state.Count)),
            ],
        };
        return new ConditionMessage("Deployment in cooldown", notice);
    }

    private static DateTimeOffset Until(long ticks) => new(ticks, TimeSpan.Zero);
}
