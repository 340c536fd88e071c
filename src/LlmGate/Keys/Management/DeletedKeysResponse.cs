namespace LlmGate.Keys;

/// <summary><c>POST /key/delete</c>: the hashes of the keys deleted.</summary>
internal sealed record DeletedKeysResponse(IReadOnlyList<string> DeletedKeys);
