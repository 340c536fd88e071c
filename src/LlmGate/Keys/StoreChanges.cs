namespace LlmGate.Keys;

/// <summary>What changed after a sequence number; <see cref="LastSequence"/> is where the next poll starts.</summary>
internal sealed record StoreChanges(long LastSequence, IReadOnlyList<EntityChange> Changes);
