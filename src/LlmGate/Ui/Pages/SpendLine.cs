namespace LlmGate.Ui.Pages;

/// <summary>What one key, team or model spent on one day, and in how many requests.</summary>
public sealed record SpendLine(string Name, int Requests, double Spend);
