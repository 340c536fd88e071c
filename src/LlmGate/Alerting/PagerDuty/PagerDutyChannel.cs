using System.Text.Json;
using LlmGate.Alerting.Delivery;
using LlmGate.Configuration;
using LlmGate.Secrets;

namespace LlmGate.Alerting.PagerDuty;

/// <summary>
/// PagerDuty's Events API v2 as an alert channel: renders notifications with <see cref="PagerDutyEventBuilder"/> (the
/// body without the routing key, which is all the outbox keeps) and sends them with the routing key configured now.
/// 429, 408, 5xx, network errors and timeouts are worth another try; other answers (400 above all) are final.
/// </summary>
internal sealed class PagerDutyChannel(PagerDutyClient client, PagerDutyOptions options) : IAlertChannel
{
    /// <summary>Also the lane every row queued before channels existed was migrated to.</summary>
    public const string ChannelName = "pagerduty";

    public string Name => ChannelName;

    public string Kind => ChannelName;

    public DeliveryRateLimit RateLimit => DeliveryRateLimit.PagerDuty;

    public PagerDutyOptions Options => options;

    public string Render(AlertNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var alertEvent = notification switch
        {
            { Action: AlertAction.Resolve } => PagerDutyEventBuilder.Resolve(notification.DedupKey),
            { Breach: { } breach } => PagerDutyEventBuilder.Trigger(
                breach.Rule,
                breach.Scope,
                breach.ScopedToModelGroup,
                breach.Window,
                options.Source,
                breach.Rule.Kind == AlertKind.Hang ? options.HangingSeverity : options.FailureSeverity,
                notification.At,
                breach.HangingThreshold,
                deployments: breach.Deployments),
            { Notice: { } notice } => PagerDutyEventBuilder.NoticeTrigger(
                notification.DedupKey, notice.Summary, notification.ClassName, options.Source, SeverityOf(notification, notice), notification.At),
            _ => throw new ArgumentException("A trigger carries a breach or a notice.", nameof(notification)),
        };
        return alertEvent.BodyWithoutRoutingKey;
    }

    public async Task<DeliveryAnswer> SendAsync(string payload, CancellationToken cancellationToken)
    {
        var answer = await PostAsync(payload, cancellationToken);
        return new DeliveryAnswer(answer.IsSuccess, answer.IsRetryable, answer.StatusCode, answer.RetryAfter, Scrub(answer.Error ?? ErrorsOf(answer.Body)));
    }

    /// <summary>Sends a queued body with the routing key added; PagerDuty's answer as it came (the fire drill shows it whole).</summary>
    public Task<PagerDutyAnswer> PostAsync(string bodyWithoutRoutingKey, CancellationToken cancellationToken) =>
        client.SendAsync(PagerDutyEventBody.WithRoutingKey(bodyWithoutRoutingKey, options.RoutingKey), cancellationToken);

    /// <summary>Takes the routing key out of text about to be logged or shown.</summary>
    public string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace(options.RoutingKey, "[routing key]", StringComparison.Ordinal);
    }

    // A fire drill pages at the failure severity, as a real incident would: an info event may never reach on-call's phone.
    private string SeverityOf(AlertNotification notification, AlertNotice notice) =>
        notification.ClassName == AlertFireDrill.ClassName ? options.FailureSeverity : SeverityOf(notice.Severity);

    private static string SeverityOf(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => "critical",
        AlertSeverity.Error => "error",
        AlertSeverity.Warning => "warning",
        _ => "info",
    };

    /// <summary>PagerDuty's message and errors array, or the start of whatever else it answered.</summary>
    private static string ErrorsOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                var list = string.Join("; ", errors.EnumerateArray().Select(e => e.ToString()));
                return $"{message}: {list}";
            }

            return message ?? SecretScrubber.Truncate(body, 500);
        }
        catch (JsonException)
        {
            return SecretScrubber.Truncate(body, 500);
        }
    }
}
