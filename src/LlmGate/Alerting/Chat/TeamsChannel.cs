using System.Text.Json;
using LlmGate.Alerting.Delivery;
using LlmGate.Alerting.Messages;
using LlmGate.Configuration;

namespace LlmGate.Alerting.Chat;

/// <summary>
/// A Microsoft Teams incoming webhook (a Workflows "post to a channel when a webhook request is received" flow, or a
/// legacy connector) as an alert channel, taking an Adaptive Card. 200 and 202 (Workflows) are delivered; 429 waits for
/// its Retry-After; 5xx and no answer are retried; 400, 401, 403 and 404 are final.
/// </summary>
internal sealed class TeamsChannel(TeamsOptions options, WebhookClient client, AlertMessageBuilder messages) : IAlertChannel
{
    private readonly string[] _secrets = WebhookAnswers.SecretsOf(options.WebhookUrl);

    public string Name => AlertTypeNames.TeamsChannel;

    public string Kind => AlertTypeNames.TeamsChannel;

    public DeliveryRateLimit RateLimit => DeliveryRateLimit.ChatWebhook;

    public string Render(AlertNotification notification) => TeamsCardRenderer.Render(messages.Build(notification));

    public async Task<DeliveryAnswer> SendAsync(string payload, CancellationToken cancellationToken)
    {
        var answer = await client.PostAsync(options.WebhookUrl, payload, cancellationToken);
        return WebhookAnswers.From(answer, ErrorOf, answer.RetryAfter, _secrets);
    }

    // A Workflows flow answers errors as {"error": {"code": "...", "message": "..."}}; a legacy connector in plain text.
    private static string ErrorOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() + ": " : "";
                var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : "";
                return code + message;
            }
        }
        catch (JsonException)
        {
            // Plain text, below.
        }

        return WebhookAnswers.PlainText(body);
    }
}
