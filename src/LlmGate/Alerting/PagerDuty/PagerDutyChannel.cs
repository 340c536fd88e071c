using System.Collections.Concurrent;
using System.Text.Json;
using LlmGate.Alerting.Delivery;
using LlmGate.Configuration;
using LlmGate.Secrets;

namespace LlmGate.Alerting.PagerDuty;

/// <summary>
/// PagerDuty's Events API v2 as an alert channel: renders notifications with <see cref="PagerDutyEventBuilder"/> (the
/// body without the routing key, which is all the outbox keeps) and sends them with the routing key configured now.
/// 429, 408, 5xx, network errors and timeouts are worth another try; other answers (400 above all) are final.
/// When a reload changes the routing key, the incidents open at that moment keep the key they were opened under, so
/// their resolve reaches the service that was paged; new incidents go to the new key.
/// </summary>
internal sealed class PagerDutyChannel(PagerDutyClient client, PagerDutyOptions options) : IAlertChannel
{
    /// <summary>Also the lane every row queued before channels existed was migrated to.</summary>
    public const string ChannelName = "pagerduty";

    private readonly ConcurrentDictionary<string, string> _keyOfOpenIncident = new(StringComparer.Ordinal);
    private readonly Lock _reconfigureLock = new();
    private volatile PagerDutyOptions _options = options;
    private volatile string[] _routingKeys = [options.RoutingKey];

    public string Name => ChannelName;

    public string Kind => ChannelName;

    public DeliveryRateLimit RateLimit => DeliveryRateLimit.PagerDuty;

    public PagerDutyOptions Options => _options;

    /// <summary>A reloaded config's PagerDuty settings; <paramref name="openDedupKeys"/> stay with the key in use until now.</summary>
    public void Reconfigure(PagerDutyOptions reloaded, IEnumerable<string> openDedupKeys)
    {
        ArgumentNullException.ThrowIfNull(reloaded);
        ArgumentNullException.ThrowIfNull(openDedupKeys);
        lock (_reconfigureLock)
        {
            var previous = _options;
            if (!string.Equals(previous.RoutingKey, reloaded.RoutingKey, StringComparison.Ordinal))
            {
                foreach (var dedupKey in openDedupKeys)
                {
                    _keyOfOpenIncident.TryAdd(dedupKey, previous.RoutingKey);
                }

                _routingKeys = [.. _routingKeys.Append(reloaded.RoutingKey).Distinct(StringComparer.Ordinal).OrderByDescending(k => k.Length)];
            }

            _options = reloaded;
        }
    }

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
                Options.Source,
                breach.Rule.Kind == AlertKind.Hang ? Options.HangingSeverity : Options.FailureSeverity,
                notification.At,
                breach.HangingThreshold,
                deployments: breach.Deployments),
            { Notice: { } notice } => PagerDutyEventBuilder.NoticeTrigger(
                notification.DedupKey, notice.Summary, notification.ClassName, Options.Source, SeverityOf(notification, notice), notification.At),
            _ => throw new ArgumentException("A trigger carries a breach or a notice.", nameof(notification)),
        };
        return alertEvent.BodyWithoutRoutingKey;
    }

    public async Task<DeliveryAnswer> SendAsync(string payload, CancellationToken cancellationToken)
    {
        var answer = await PostAsync(payload, cancellationToken);
        if (answer.IsSuccess && !_keyOfOpenIncident.IsEmpty && EventOf(payload) is { Action: "resolve" } resolved)
        {
            _keyOfOpenIncident.TryRemove(resolved.DedupKey, out _); // resolved where it was opened: done with the old key
        }

        return new DeliveryAnswer(answer.IsSuccess, answer.IsRetryable, answer.StatusCode, answer.RetryAfter, Scrub(answer.Error ?? ErrorsOf(answer.Body)));
    }

    /// <summary>Sends a queued body with the routing key added; PagerDuty's answer as it came (the fire drill shows it whole).</summary>
    public Task<PagerDutyAnswer> PostAsync(string bodyWithoutRoutingKey, CancellationToken cancellationToken) =>
        client.SendAsync(PagerDutyEventBody.WithRoutingKey(bodyWithoutRoutingKey, RoutingKeyFor(bodyWithoutRoutingKey)), cancellationToken);

    /// <summary>Takes every routing key this channel has used out of text about to be logged or shown.</summary>
    public string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var key in _routingKeys)
        {
            text = text.Replace(key, "[routing key]", StringComparison.Ordinal);
        }

        return text;
    }

    private string RoutingKeyFor(string body) =>
        !_keyOfOpenIncident.IsEmpty && EventOf(body) is { } sent && _keyOfOpenIncident.TryGetValue(sent.DedupKey, out var openedUnder)
            ? openedUnder
            : Options.RoutingKey;

    // Only read while an incident opened under a replaced key is still open: rare, and a small body.
    private static (string DedupKey, string Action)? EventOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return root.TryGetProperty("dedup_key", out var key) && key.GetString() is { } dedupKey
                ? (dedupKey, root.TryGetProperty("event_action", out var action) ? action.GetString() ?? "" : "")
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // A fire drill pages at the failure severity, as a real incident would: an info event may never reach on-call's phone.
    private string SeverityOf(AlertNotification notification, AlertNotice notice) =>
        notification.ClassName == AlertFireDrill.ClassName ? Options.FailureSeverity : SeverityOf(notice.Severity);

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
