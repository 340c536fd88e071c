using LlmGate.Calls;

namespace LlmGate.Ui.Live;

/// <summary>A failed attempt as the console shows it: when, the status and the kind. No message text, so nothing to scrub.</summary>
internal sealed record UiRecentFailure(DateTimeOffset At, int Status, FailureKind Kind);
