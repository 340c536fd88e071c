namespace LlmGate.Keys;

/// <summary>USD to add to one key's, team's or user's spend.</summary>
internal readonly record struct SpendIncrement(SpendEntityKind Kind, string Id, double Amount);
