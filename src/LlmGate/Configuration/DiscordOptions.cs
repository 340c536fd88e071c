namespace LlmGate.Configuration;

/// <summary>
/// <c>discord</c>: env <c>DISCORD_WEBHOOK_URL</c>, a Discord webhook. One ending in <c>/slack</c> gets Slack's format
/// (as LiteLLM documents); any other gets Discord's own (an embed). Secret: never logged.
/// </summary>
internal sealed record DiscordOptions(Uri WebhookUrl)
{
    public bool SlackCompatible => WebhookUrl.AbsolutePath.TrimEnd('/').EndsWith("/slack", StringComparison.OrdinalIgnoreCase);
}
