namespace LlmGate.Ui.Pages;

/// <summary>One UTC day of a breakdown: a line per key, team or model (largest first), and the day's total.</summary>
public sealed record SpendDay(DateOnly Day, IReadOnlyList<SpendLine> Lines, int Requests, double Total);
