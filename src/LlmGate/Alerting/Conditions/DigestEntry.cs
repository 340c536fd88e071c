namespace LlmGate.Alerting.Conditions;

/// <summary>One problem in a digest interval: how often, first and last seen (LiteLLM aggregates by type, model and api_base).</summary>
internal sealed class DigestEntry(ConditionProblem problem, DateTimeOffset first)
{
    public ConditionProblem Problem { get; } = problem;

    public long Count { get; set; }

    public DateTimeOffset First { get; } = first;

    public DateTimeOffset Last { get; set; } = first;
}
