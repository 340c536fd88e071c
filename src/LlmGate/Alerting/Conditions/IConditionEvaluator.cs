namespace LlmGate.Alerting.Conditions;

/// <summary>One alert type's background half: takes what the request path recorded and sends what is due. Loop thread only.</summary>
internal interface IConditionEvaluator
{
    string Type { get; }

    void Evaluate(DateTimeOffset now);
}
