namespace LlmGate.Configuration;

/// <summary>
/// <c>slack</c>: env <c>SLACK_WEBHOOK_URL</c> (else <c>ALERTING_WEBHOOK_URL</c>, for Slack-compatible hooks such as
/// Mattermost, Rocket.Chat or Discord's <c>/slack</c> URL), and <c>alert_to_webhook_url</c>, which sends an alert type
/// to other incoming webhooks instead. Secrets: never logged.
/// </summary>
internal sealed record SlackOptions
{
    /// <summary>Null when only <see cref="UrlsByType"/> is configured: types not listed there are then not sent to Slack.</summary>
    public Uri? WebhookUrl { get; init; }

    /// <summary><c>general_settings.alert_to_webhook_url</c>: alert type to one or several incoming webhooks.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Uri>> UrlsByType { get; init; } = new Dictionary<string, IReadOnlyList<Uri>>(StringComparer.Ordinal);
}
