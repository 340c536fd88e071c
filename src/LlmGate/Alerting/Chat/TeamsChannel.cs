using LlmGate.Alerting.Delivery;
using LlmGate.Alerting.Messages;
using LlmGate.Configuration;

namespace LlmGate.Alerting.Chat;

/// <summary>
/// A Microsoft Teams incoming webhook (a Workflows "post to a channel when a webhook request is received" flow, or a
/// legacy connector) as an alert channel, taking an Adaptive Card. 200 and 202 (Workflows) are delivered; 429 waits for
/// its Retry-After; 5xx and no answer are retried; 400, 401, 403 and 404 are final.
/// </summary>
internal sealed class TeamsChannel(TeamsOptions options, ChatWebhookClient client, AlertMessageBuilder messages) : IAlertChannel
{
    private readonly string[] _secrets = ChatAnswers.SecretsOf(options.WebhookUrl);

    public string Name => AlertTypeNames.TeamsChannel;

    public string Kind => AlertTypeNames.TeamsChannel;

    public DeliveryRateLimit RateLimit => DeliveryRateLimit.ChatWebhook;

    public string Render(AlertNotification notification) => TeamsCardRenderer.Render(messages.Build(notification));

    public async Task<DeliveryAnswer> SendAsync(string payload, CancellationToken cancellationToken)
    {
        var answer = await client.PostAsync(options.WebhookUrl, payload, cancellationToken);
        return ChatAnswers.From(answer, ChatAnswers.PlainText, answer.RetryAfter, _secrets);
    }
}
