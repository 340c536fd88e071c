namespace LlmGate.Ui.Live;

/// <summary>A recent failed attempt: when, its status and kind (e.g. <c>upstream_error</c>); no message text.</summary>
public sealed record UiError(DateTimeOffset At, int Status, string Kind);
