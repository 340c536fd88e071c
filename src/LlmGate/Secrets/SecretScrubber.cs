using System.Text.RegularExpressions;

namespace LlmGate.Secrets;

/// <summary>
/// Removes what must never reach PagerDuty or a log from error text: the configured secrets, anything shaped like an
/// API key (<c>sk-...</c>), a bearer token, an Authorization header or an email address; then cuts the text short.
/// </summary>
internal sealed partial class SecretScrubber
{
    public const int MaxMessageLength = 200;
    private const string Redacted = "[redacted]";

    // Scrubbing longer input costs time on the failure path for text that is cut to 200 characters anyway.
    private const int MaxScannedLength = 4096;

    private volatile string[] _secrets;

    public SecretScrubber(IEnumerable<string?> knownSecrets)
    {
        _secrets = Ordered(knownSecrets);
    }

    /// <summary>
    /// Adds the secrets of a reloaded config. The old ones stay: text queued before the reload may still hold them.
    /// </summary>
    public void Add(IEnumerable<string?> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _secrets = Ordered([.. _secrets, .. secrets]);
    }

    public string Scrub(string? text, int maxLength = MaxMessageLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (text.Length > MaxScannedLength)
        {
            text = text[..MaxScannedLength];
        }

        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Redacted, StringComparison.Ordinal);
        }

        text = RedactCredentials(text);
        text = EmailShaped().Replace(text, "[email]");
        return Truncate(text, maxLength);
    }

    /// <summary>
    /// Text with every credential-shaped part redacted (an Authorization header, a bearer token, an <c>sk-</c> key, even
    /// masked as providers echo it), and nothing else changed: for an upstream's error message on its way to a client.
    /// </summary>
    public static string RedactCredentials(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = AuthorizationHeader().Replace(text, "Authorization: " + Redacted);
        text = BearerToken().Replace(text, "Bearer " + Redacted);
        return ApiKeyShaped().Replace(text, "sk-" + Redacted);
    }

    /// <summary>Cuts <paramref name="text"/> to <paramref name="maxLength"/> characters, ending in an ellipsis when cut.</summary>
    public static string Truncate(string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        var cut = maxLength - 1;
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1]))
        {
            cut--; // never split a surrogate pair
        }

        return string.Concat(text.AsSpan(0, cut), "…");
    }

    [GeneratedRegex(@"(?i)\b(?:proxy-)?authorization\s*[:=]\s*\S+(?:\s+\S+)?")]
    private static partial Regex AuthorizationHeader();

    // The sentence's own punctuation after a token ("...provided: Bearer sk-abc. You can...") is not part of it.
    [GeneratedRegex(@"(?i)\bbearer\s+\S*[^\s.,;:'""\)\]\}]")]
    private static partial Regex BearerToken();

    [GeneratedRegex(@"\bsk-[A-Za-z0-9_\-\*\.]{2,}[A-Za-z0-9_\-\*]")]
    private static partial Regex ApiKeyShaped();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")]
    private static partial Regex EmailShaped();

    // Longest first so a secret that contains another is replaced whole; short strings would redact ordinary words.
    private static string[] Ordered(IEnumerable<string?> secrets) =>
        [.. secrets.OfType<string>().Where(s => s.Length >= 8).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length)];
}
