using System.Security.Cryptography;
using System.Text;
using LlmGate.Alerting.Delivery;
using LlmGate.Alerting.Messages;
using LlmGate.Configuration;

namespace LlmGate.Alerting.Chat;

/// <summary>
/// One Slack incoming webhook as an alert channel: the default lane <c>slack</c> (<c>SLACK_WEBHOOK_URL</c>) or one
/// <c>alert_to_webhook_url</c> gives its <see cref="Types"/>, named <c>slack-</c> and a hash of its URL (stable, and
/// showing nothing of the token). Renders Block Kit without the URL, which is all the outbox keeps, and posts to the
/// URL configured now. 429 (after its Retry-After), 5xx and no answer are retried; 400 <c>invalid_payload</c>, 403
/// <c>action_prohibited</c>, 404 <c>no_service</c> or <c>channel_not_found</c>, 410 <c>channel_is_archived</c> are final.
/// </summary>
internal sealed class SlackChannel : IAlertChannel, ISlackLane
{
    private readonly Uri _url;
    private readonly string[] _secrets;
    private readonly WebhookClient _client;
    private readonly AlertMessageBuilder _messages;

    public SlackChannel(Uri url, bool isDefault, IReadOnlySet<string> types, WebhookClient client, AlertMessageBuilder messages)
    {
        ArgumentNullException.ThrowIfNull(url);
        _url = url;
        _secrets = WebhookAnswers.SecretsOf(url);
        _client = client;
        _messages = messages;
        IsDefault = isDefault;
        Types = types;
        Name = isDefault ? AlertTypeNames.SlackChannel : LaneName(url);
    }

    public string Name { get; }

    public string Kind => AlertTypeNames.SlackChannel;

    public DeliveryRateLimit RateLimit => DeliveryRateLimit.ChatWebhook;

    public bool IsDefault { get; }

    public IReadOnlySet<string> Types { get; }

    /// <summary><c>slack-</c> and the first 8 hex digits of the URL's SHA-256: the same lane across restarts, no token in sight.</summary>
    public static string LaneName(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(url.OriginalString));
        return $"{AlertTypeNames.SlackChannel}-{Convert.ToHexStringLower(hash)[..8]}";
    }

    public string Render(AlertNotification notification) => SlackMessageRenderer.Render(_messages.Build(notification));

    public async Task<DeliveryAnswer> SendAsync(string payload, CancellationToken cancellationToken)
    {
        var answer = await _client.PostAsync(_url, payload, cancellationToken);
        return WebhookAnswers.From(answer, WebhookAnswers.PlainText, answer.RetryAfter, _secrets);
    }
}
