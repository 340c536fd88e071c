namespace LlmGate.Ui.Sessions;

/// <summary>What a session cookie carries once unprotected: its id (for revocation), who signed in, when it expires.</summary>
internal sealed record UiSessionTicket(string Id, string Who, DateTimeOffset ExpiresAt);
