namespace LlmGate.Configuration;

/// <summary>
/// The chat, webhook and email channels <c>general_settings.alerting</c> lists, each null when not listed. PagerDuty
/// stays on <see cref="AlertingOptions.PagerDuty"/>. Every URL here embeds a token: never logged or shown in full.
/// </summary>
internal sealed record AlertChannelsOptions
{
    public static readonly AlertChannelsOptions None = new();

    public SlackOptions? Slack { get; init; }

    public DiscordOptions? Discord { get; init; }

    public TeamsOptions? Teams { get; init; }

    public WebhookOptions? Webhook { get; init; }

    public EmailOptions? Email { get; init; }

    public bool Any => Slack is not null || Discord is not null || Teams is not null || Webhook is not null || Email is not null;
}
