namespace LlmGate.Ui.Pages;

/// <summary>One breakdown (by key, team or model): the days with spend, newest first.</summary>
public sealed record SpendTable(string Title, string Column, IReadOnlyList<SpendDay> Days);
