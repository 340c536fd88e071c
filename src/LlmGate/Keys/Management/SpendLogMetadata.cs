namespace LlmGate.Keys;

/// <summary>The part of a spend-log row's <c>metadata</c> that names who spent.</summary>
internal sealed record SpendLogMetadata(string? UserApiKeyAlias, string? UserApiKeyTeamId, string? UserApiKeyUserId);
