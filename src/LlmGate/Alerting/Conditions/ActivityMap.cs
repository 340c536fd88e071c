using System.Collections.Frozen;

namespace LlmGate.Alerting.Conditions;

/// <summary>One <see cref="ConditionActivity"/> per problem of a kind, made at start-up: lookups never add.</summary>
internal sealed class ActivityMap
{
    private readonly FrozenDictionary<string, (ConditionProblem Problem, ConditionActivity Activity)> _byKey;

    public ActivityMap(IEnumerable<ConditionProblem> problems)
    {
        _byKey = problems.ToFrozenDictionary(p => p.Key, p => (p, new ConditionActivity()), StringComparer.Ordinal);
    }

    public ConditionActivity For(ConditionProblem problem) => _byKey[problem.Key].Activity;

    public IEnumerable<(ConditionProblem Problem, ConditionActivity Activity)> All => _byKey.Values;
}
