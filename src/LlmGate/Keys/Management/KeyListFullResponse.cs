namespace LlmGate.Keys;

/// <summary><c>GET /key/list?return_full_object=true</c>: the page's keys in full.</summary>
internal sealed record KeyListFullResponse(IReadOnlyList<KeyView> Keys, int TotalCount, int CurrentPage, int TotalPages);
