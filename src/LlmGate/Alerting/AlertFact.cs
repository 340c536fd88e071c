namespace LlmGate.Alerting;

/// <summary>One line of an alert's details: a name and its value, both free of secrets.</summary>
internal sealed record AlertFact(string Name, string Value);
