namespace LlmGate.Keys;

/// <summary>What a spend increment, budget or change belongs to.</summary>
internal enum SpendEntityKind
{
    Key,
    Team,
    User,
}
