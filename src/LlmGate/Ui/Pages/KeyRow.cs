namespace LlmGate.Ui.Pages;

/// <summary>
/// A key as listed: its token (the SHA-256 the store keys it by, which names it in the row's forms), the masked
/// <c>sk-...abcd</c> name, never the key itself.
/// </summary>
public sealed record KeyRow(
    string Token,
    string KeyName,
    string? Alias,
    string? Team,
    IReadOnlyList<string> Models,
    double Spend,
    double? MaxBudget,
    bool Blocked,
    DateTimeOffset? Expires);
