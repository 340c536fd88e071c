namespace LlmGate.Keys;

/// <summary><c>GET /key/list</c>: the page's key hashes, as LiteLLM lists them without <c>return_full_object</c>.</summary>
internal sealed record KeyListResponse(IReadOnlyList<string> Keys, int TotalCount, int CurrentPage, int TotalPages);
