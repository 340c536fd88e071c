namespace LlmGate.Ui.Live;

/// <summary>An alert window: its count now against its threshold.</summary>
public sealed record UiWindow(string Id, string Class, string Scope, int Count, int Threshold, decimal WindowSeconds, bool Breached);
