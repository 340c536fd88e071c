using LlmGate.Configuration;

namespace LlmGate.Alerting.Conditions;

/// <summary>The conditions and reports of the wanted types, each made only when wanted (no state for the others).</summary>
internal sealed class ConditionSet
{
    public ConditionSet(ConditionContext context, IReadOnlyCollection<string> types)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(types);
        Exceptions = types.Contains(AlertTypeNames.LlmExceptions) ? new ExceptionCondition(context) : null;
        Slow = types.Contains(AlertTypeNames.LlmTooSlow) ? new SlowResponseCondition(context) : null;
        Outage = types.Contains(AlertTypeNames.OutageAlerts) ? new OutageCondition(context, perRegion: false) : null;
        RegionOutage = types.Contains(AlertTypeNames.RegionOutageAlerts) && context.Catalog.Regions.Count > 0 ? new OutageCondition(context, perRegion: true) : null;
        Cooldown = types.Contains(AlertTypeNames.CooldownDeployment) ? new CooldownCondition(context) : null;
        Daily = types.Contains(AlertTypeNames.DailyReports) ? new DailyReport(context) : null;
        Fallbacks = types.Contains(AlertTypeNames.FallbackReports) ? new FallbackReport(context) : null;
        Evaluators = [.. new IConditionEvaluator?[] { Exceptions, Slow, Outage, RegionOutage, Cooldown, Daily, Fallbacks }.OfType<IConditionEvaluator>()];
    }

    public ExceptionCondition? Exceptions { get; }

    public SlowResponseCondition? Slow { get; }

    public OutageCondition? Outage { get; }

    public OutageCondition? RegionOutage { get; }

    public CooldownCondition? Cooldown { get; }

    public DailyReport? Daily { get; }

    public FallbackReport? Fallbacks { get; }

    public IReadOnlyList<IConditionEvaluator> Evaluators { get; }
}
