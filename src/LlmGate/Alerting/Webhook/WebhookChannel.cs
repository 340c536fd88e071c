using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
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
internal sealed class WebhookChannel(HttpClient http, WebhookOptions options, AlertMessageBuilder messages, TimeProvider time) : IAlertChannel
{
    public const string ChannelName = AlertTypeNames.WebhookChannel;
    public const string EventHeader = "X-LlmGate-Event";
    public const string DeliveryHeader = "X-LlmGate-Delivery";
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);
    private const int MaxAnswerLength = 200;
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    public string Name => ChannelName;

    public string Kind => ChannelName;

    public DeliveryRateLimit RateLimit => DeliveryRateLimit.PagerDuty;

    public string Render(AlertNotification notification) => WebhookBody.Write(notification, messages.Build(notification));

    public async Task<DeliveryAnswer> SendAsync(string payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var body = Encoding.UTF8.GetBytes(payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        var (alertType, dedupKey) = HeadersOf(payload);
        request.Headers.TryAddWithoutValidation(EventHeader, alertType);
        request.Headers.TryAddWithoutValidation(DeliveryHeader, dedupKey);
        if (options.Secret is { Length: > 0 } secret)
        {
            request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Of(body, secret));
        }

        using var timeout = new CancellationTokenSource(SendTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new DeliveryAnswer(true, false, status, null, $"HTTP {status}");
            }

            var text = await response.Content.ReadAsStringAsync(linked.Token);
            var retryable = status is 408 or 429 or >= 500;
            var answer = text.Length > 0 ? $"HTTP {status}: {Scrub(SecretScrubber.Truncate(text, MaxAnswerLength))}" : $"HTTP {status}";
            return new DeliveryAnswer(false, retryable, status, retryable ? RetryAfterHeader.Of(response, time.GetUtcNow()) : null, answer);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryAnswer(false, true, null, null, $"no answer within {SendTimeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s");
        }
        catch (HttpRequestException exception)
        {
            // The message names the host and the socket error; scrubbed anyway, since the URL's path holds a token.
            return new DeliveryAnswer(false, true, null, null, Scrub(exception.Message));
        }
    }

    /// <summary>Takes the URL and the secret out of text about to be logged or shown.</summary>
    public string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Replace(options.Url.OriginalString, "[webhook url]", StringComparison.Ordinal)
            .Replace(options.Url.AbsoluteUri, "[webhook url]", StringComparison.Ordinal);
        if (!string.IsNullOrEmpty(options.Url.PathAndQuery) && options.Url.PathAndQuery.Length > 1)
        {
            text = text.Replace(options.Url.PathAndQuery, "[path]", StringComparison.Ordinal);
        }

        return options.Secret is { Length: > 0 } secret ? text.Replace(secret, "[secret]", StringComparison.Ordinal) : text;
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
