namespace LlmGate.Alerting.Conditions;

/// <summary>What a condition's trigger says: a short title and the notice behind it.</summary>
internal sealed record ConditionMessage(string Title, AlertNotice Notice);
