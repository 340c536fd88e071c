namespace LlmGate.Ui.Pages;

/// <summary>
/// Spend over the last <see cref="Days"/> days from the spend log, by key, team and model, each day with its total.
/// <see cref="Truncated"/>: more rows than one page view reads, so the oldest days are short.
/// </summary>
public sealed record SpendReport(int Days, SpendTable ByKey, SpendTable ByTeam, SpendTable ByModel, int Requests, double Total, bool Truncated);
