namespace LlmGate.Keys;

/// <summary>One page of keys, newest first, and how many match in all.</summary>
internal sealed record KeyListPage(IReadOnlyList<VirtualKey> Keys, int TotalCount);
