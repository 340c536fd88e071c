namespace LlmGate.Alerting.Conditions;

/// <summary>Words one alert type's condition in its own terms (LiteLLM's wording), at the level it has reached.</summary>
internal interface IConditionDescriber
{
    ConditionMessage Describe(ConditionState state, int level, DateTimeOffset now);

    /// <summary>"failures", "slow responses", "cooldowns": what the type counts, for resolves and digests.</summary>
    string Occurrences { get; }
}
