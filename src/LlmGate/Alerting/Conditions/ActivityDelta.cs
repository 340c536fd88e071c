namespace LlmGate.Alerting.Conditions;

/// <summary>What one problem's <see cref="ConditionActivity"/> saw since it was last drained.</summary>
/// <param name="Max">The largest value recorded (the slowest response's ticks; the latest cooldown end's UTC ticks).</param>
internal sealed record ActivityDelta(
    int Count,
    DateTimeOffset First,
    DateTimeOffset Last,
    IReadOnlyDictionary<int, int> Statuses,
    IReadOnlyDictionary<string, int> Deployments,
    long Max,
    IReadOnlyList<RecentFailure> Recent);
