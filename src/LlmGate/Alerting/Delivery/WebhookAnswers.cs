using LlmGate.Secrets;

namespace LlmGate.Alerting.Delivery;

/// <summary>
/// How webhooks' answers read, the same for Slack, Discord, Teams and the generic webhook: 2xx delivered; 408, 429,
/// 5xx and no answer worth another try (after the answer's Retry-After); anything else (400 bad payload, 403/404/410 a
/// webhook gone or forbidden) final. The description is the service's own words with the webhook's secrets taken out.
/// </summary>
internal static class WebhookAnswers
{
    private const int MaxDescriptionLength = 500;

    // Shorter parts of a webhook's URL are words ("services", "webhooks") or ids that show nothing on their own.
    private const int MinTokenLength = 16;

    /// <param name="describe">The service's error text from its answer's body.</param>
    /// <param name="secrets">The URL and its parts, never to be shown.</param>
    public static DeliveryAnswer From(WebhookAnswer answer, Func<string, string> describe, TimeSpan? retryAfter, params string[] secrets)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(describe);
        if (answer.StatusCode is not { } status)
        {
            return new DeliveryAnswer(false, true, null, null, Scrub(answer.Error ?? "no answer", secrets));
        }

        var delivered = status is >= 200 and < 300;
        var retryable = status is 408 or 429 or >= 500;
        var description = delivered ? $"{status}" : $"{status} {describe(answer.Body)}".TrimEnd();
        return new DeliveryAnswer(delivered, !delivered && retryable, status, !delivered && retryable ? retryAfter : null, Scrub(description, secrets));
    }

    /// <summary>Slack and Teams answer errors in plain text: its first line, cut short.</summary>
    public static string PlainText(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var line = body.AsSpan().Trim();
        var end = line.IndexOfAny('\r', '\n');
        return SecretScrubber.Truncate((end >= 0 ? line[..end] : line).ToString(), 200);
    }

    public static string Scrub(string text, params string[] secrets)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in secrets.Where(s => s.Length > 0).OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, "[webhook]", StringComparison.OrdinalIgnoreCase);
        }

        return SecretScrubber.Truncate(text, MaxDescriptionLength);
    }

    /// <summary>
    /// The strings that would give a webhook away: the URL, its path and query, and their long parts (Slack's and
    /// Discord's tokens are path segments, a Teams Workflows URL's signature is a query value).
    /// </summary>
    public static string[] SecretsOf(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var parts = url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Concat(url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p[(p.IndexOf('=', StringComparison.Ordinal) + 1)..]))
            .Where(part => part.Length >= MinTokenLength);
        return [url.OriginalString, url.AbsoluteUri, url.PathAndQuery, .. parts];
    }
}
