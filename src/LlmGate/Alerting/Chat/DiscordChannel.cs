using System.Text.Json;
using LlmGate.Alerting.Delivery;
using LlmGate.Alerting.Messages;
using LlmGate.Configuration;

namespace LlmGate.Alerting.Chat;

/// <summary>
/// A Discord webhook as an alert channel: Discord's own message (an embed) posted with <c>?wait=true</c>, so Discord
/// answers 200 once the message exists; or, for a URL ending in <c>/slack</c>, Slack's format as it is. 429 waits as
/// the Retry-After header or the body's <c>retry_after</c> says; 5xx and no answer are retried; 400, 401, 403 and 404
/// are final with Discord's <c>message</c>.
/// </summary>
internal sealed class DiscordChannel : IAlertChannel
{
    private readonly DiscordOptions _options;
    private readonly Uri _url;
    private readonly string[] _secrets;
    private readonly WebhookClient _client;
    private readonly AlertMessageBuilder _messages;

    public DiscordChannel(DiscordOptions options, WebhookClient client, AlertMessageBuilder messages)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _url = options.SlackCompatible ? options.WebhookUrl : WithWait(options.WebhookUrl);
        _secrets = WebhookAnswers.SecretsOf(options.WebhookUrl);
        _client = client;
        _messages = messages;
    }

    public string Name => AlertTypeNames.DiscordChannel;

    public string Kind => AlertTypeNames.DiscordChannel;

    public DeliveryRateLimit RateLimit => DeliveryRateLimit.ChatWebhook;

    public string Render(AlertNotification notification)
    {
        var message = _messages.Build(notification);
        return _options.SlackCompatible ? SlackMessageRenderer.Render(message) : DiscordMessageRenderer.Render(message);
    }

    public async Task<DeliveryAnswer> SendAsync(string payload, CancellationToken cancellationToken)
    {
        var answer = await _client.PostAsync(_url, payload, cancellationToken);
        var retryAfter = answer.RetryAfter ?? (answer.StatusCode == 429 ? RetryAfterOf(answer.Body) : null);
        return WebhookAnswers.From(answer, MessageOf, retryAfter, _secrets);
    }

    /// <summary>The URL with <c>wait=true</c> added to whatever query it has (a <c>thread_id</c>, say).</summary>
    public static Uri WithWait(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var query = url.Query.TrimStart('?');
        if (query.Split('&').Any(p => p.StartsWith("wait=", StringComparison.OrdinalIgnoreCase)))
        {
            return url;
        }

        return new UriBuilder(url) { Query = query.Length == 0 ? "wait=true" : query + "&wait=true" }.Uri;
    }

    // Discord's rate-limit body: {"message": "You are being rate limited.", "retry_after": 0.5, "global": false}.
    private static TimeSpan? RetryAfterOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("retry_after", out var seconds)
                && seconds.TryGetDouble(out var value) && value >= 0 && value < TimeSpan.MaxValue.TotalSeconds
                ? TimeSpan.FromSeconds(value)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Discord answers errors as {"message": "Invalid Form Body", "code": 50035, "errors": {...}}.
    private static string MessageOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
            {
                var code = root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? $" (code {c.GetRawText()})" : "";
                return message.GetString() + code;
            }
        }
        catch (JsonException)
        {
            // Not Discord's JSON (a proxy's page): its first line below.
        }

        return WebhookAnswers.PlainText(body);
    }
}
