namespace LlmGate.Configuration;

/// <summary><c>ms_teams</c>: env <c>MS_TEAMS_WEBHOOK_URL</c>, a Teams (Workflows) incoming webhook taking an Adaptive Card. Secret: never logged.</summary>
internal sealed record TeamsOptions(Uri WebhookUrl);
