namespace LlmGate.Keys;

/// <summary>A key, team or user that changed in the store (created, updated, deleted or spent), by its id.</summary>
internal readonly record struct EntityChange(SpendEntityKind Kind, string Id);
