using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LlmGate.Providers.Google;

/// <summary>
/// Google's error envelope (<c>{"error":{"code","message","status","details"}}</c>, Gemini's and Vertex AI's alike) as an
/// OpenAI error: the canonical <c>status</c> names the type, the message and details say what routing needs (an
/// invalid key, a prompt over the context window, an unknown model, a safety block, how long to wait).
/// </summary>
internal static class GoogleErrors
{
    public static UpstreamError Parse(ReadOnlySpan<byte> body, int status)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            // A stream endpoint read without alt=sse answers a JSON array, its error too.
            var envelope = root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0 ? root[0] : root;
            var error = ProviderJson.Property(envelope, "error");
            if (error.ValueKind == JsonValueKind.Object)
            {
                return FromEnvelope(envelope, error, status);
            }
        }
        catch (JsonException)
        {
            // Not JSON: a proxy's page or plain text, described by the shared parser below.
        }

        return UpstreamError.Parse(body, status) with { Type = ErrorTypes.ForStatus(status), Param = null };
    }

    private static UpstreamError FromEnvelope(JsonElement envelope, JsonElement error, int status)
    {
        // Details never reach the client: they name Google's internals. The shared parser reads (and shortens) the message.
        var googleStatus = ProviderJson.String(error, "status");
        var message = ProviderJson.String(error, "message") ?? "";
        var parsed = message.Length > 0
            ? UpstreamError.Parse(Encoding.UTF8.GetBytes(envelope.GetRawText()), status)
            : new UpstreamError($"The upstream answered HTTP {status} {googleStatus}".TrimEnd() + ".", null, null);
        var details = ProviderJson.Property(error, "details");
        var (mapped, type) = IsInvalidKey(message, details) ? (401, "authentication_error") : Map(googleStatus, status);
        return parsed with
        {
            Type = type,
            Param = null,
            Code = googleStatus,
            Status = mapped == status ? null : mapped,
            Reason = ReasonOf(mapped, message),
            RetryAfter = RetryDelay(details),
        };
    }

    /// <summary>
    /// Google's canonical codes as OpenAI's statuses and types. NOT_FOUND is <c>invalid_request_error</c>, as OpenAI
    /// answers a missing model; DEADLINE_EXCEEDED is a 504 <c>api_error</c> (OpenAI has no timeout type; clients retry a 504).
    /// </summary>
    public static (int Status, string Type) Map(string? googleStatus, int status) => googleStatus switch
    {
        "INVALID_ARGUMENT" or "FAILED_PRECONDITION" or "OUT_OF_RANGE" => (400, "invalid_request_error"),
        "UNAUTHENTICATED" => (401, "authentication_error"),
        "PERMISSION_DENIED" => (403, "permission_error"),
        "NOT_FOUND" => (404, "invalid_request_error"),
        "RESOURCE_EXHAUSTED" => (429, "rate_limit_error"),
        "UNAVAILABLE" => (503, "api_error"),
        "INTERNAL" or "UNKNOWN" => (500, "api_error"),
        "DEADLINE_EXCEEDED" => (504, "api_error"),
        _ => (status, ErrorTypes.ForStatus(status)),
    };

    // Google answers a bad key with 400 INVALID_ARGUMENT; to a client and to routing it is an authentication failure.
    private static bool IsInvalidKey(string message, JsonElement details)
    {
        if (message.StartsWith("API key not valid", StringComparison.OrdinalIgnoreCase) || message.StartsWith("API key expired", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (details.ValueKind == JsonValueKind.Array)
        {
            foreach (var detail in details.EnumerateArray())
            {
                if (ProviderJson.String(detail, "reason") is "API_KEY_INVALID" or "API_KEY_EXPIRED")
                {
                    return true;
                }
            }
        }

        return false;
    }

    // Google has no codes for these; its messages are read, as LiteLLM reads them: "The input token count (1200000)
    // exceeds the maximum number of tokens allowed (1048576).", "models/x is not found for API version v1beta…",
    // "Publisher Model `…` was not found…", and a 400 naming a block or SAFETY.
    private static UpstreamErrorReason ReasonOf(int status, string message) => status switch
    {
        400 when message.Contains("input token count", StringComparison.OrdinalIgnoreCase) => UpstreamErrorReason.ContextWindowExceeded,
        400 when message.Contains("blocked", StringComparison.OrdinalIgnoreCase) || message.Contains("SAFETY", StringComparison.Ordinal) => UpstreamErrorReason.ContentPolicy,
        404 when message.Contains("model", StringComparison.OrdinalIgnoreCase) => UpstreamErrorReason.UnknownModel,
        _ => UpstreamErrorReason.Unclassified,
    };

    // {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"27s"}: a protobuf Duration, seconds with up to nine decimals.
    private static TimeSpan? RetryDelay(JsonElement details)
    {
        if (details.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var detail in details.EnumerateArray())
        {
            if (ProviderJson.String(detail, "@type")?.EndsWith("google.rpc.RetryInfo", StringComparison.Ordinal) == true
                && ProviderJson.String(detail, "retryDelay") is { Length: > 1 } delay
                && delay.EndsWith('s')
                && double.TryParse(delay.AsSpan(0, delay.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(seconds);
            }
        }

        return null;
    }
}
