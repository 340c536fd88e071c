using System.Text;
using System.Text.Json;
using LlmGate.Alerting.Delivery;
using LlmGate.Alerting.Messages;
using LlmGate.Configuration;
using LlmGate.Secrets;

namespace LlmGate.Alerting.Webhook;

/// <summary>
/// A generic webhook (<c>WEBHOOK_URL</c>) as an alert channel: every alert as JSON (<see cref="WebhookBody"/>), signed
/// when <c>webhook_secret</c> is set. 2xx is delivered; 408, 429 (after its Retry-After), 5xx, network errors and
/// timeouts are worth another try; any other answer is final. The URL and the secret are read at send time and never
/// queued, logged or shown.
/// </summary>
internal sealed class WebhookChannel(WebhookClient client, WebhookOptions options, AlertMessageBuilder messages) : IAlertChannel
{
    public const string ChannelName = AlertTypeNames.WebhookChannel;
    public const string EventHeader = "X-LlmGate-Event";
    public const string DeliveryHeader = "X-LlmGate-Delivery";
    private const int MaxAnswerLength = 200;

    // The URL and its long parts (the path or query may hold a token), and the secret: never in a description.
    private readonly string[] _secrets = [.. WebhookAnswers.SecretsOf(options.Url), .. options.Secret is { Length: > 0 } s ? new[] { s } : []];

    public string Name => ChannelName;

    public string Kind => ChannelName;

    public DeliveryRateLimit RateLimit => DeliveryRateLimit.PagerDuty;

    public string Render(AlertNotification notification) => WebhookBody.Write(notification, messages.Build(notification));

    public async Task<DeliveryAnswer> SendAsync(string payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var body = Encoding.UTF8.GetBytes(payload);
        var (alertType, dedupKey) = HeadersOf(payload);
        List<KeyValuePair<string, string>> headers = [new(EventHeader, alertType), new(DeliveryHeader, dedupKey)];
        if (options.Secret is { Length: > 0 } secret)
        {
            headers.Add(new(WebhookSignature.Header, WebhookSignature.Of(body, secret)));
        }

        var answer = await client.PostAsync(options.Url, body, headers, cancellationToken);
        return WebhookAnswers.From(answer, text => SecretScrubber.Truncate(text, MaxAnswerLength), answer.RetryAfter, _secrets);
    }

    private static (string AlertType, string DedupKey) HeadersOf(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            return (StringOf(root, "alert_type"), StringOf(root, "dedup_key"));
        }
        catch (JsonException)
        {
            return ("", "");
        }
    }

    private static string StringOf(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
