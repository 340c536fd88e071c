namespace LlmGate.Ui.Live;

/// <summary>Failures with one status ("503", or "other").</summary>
public sealed record UiStatusCount(string Status, long Count);
