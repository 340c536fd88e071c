namespace LlmGate.Keys;

/// <summary>A key, alias, team or user with that id already exists.</summary>
internal sealed class KeyStoreConflictException(string message) : Exception(message);
