using System.Text.Json;

namespace LlmGate.Providers;

/// <summary>An error answered by a provider, reduced to the fields a client needs: its message, type and param, never its headers.</summary>
internal sealed record UpstreamError(string Message, string? Type, string? Param)
{
    /// <summary>The provider's error code (OpenAI's <c>code</c>, e.g. <c>context_length_exceeded</c>), from which the adapter sets <see cref="Reason"/>; the client never sees it.</summary>
    public string? Code { get; init; }

    private const int MaxMessageLength = 2_000;

    /// <summary>The status the client gets when it differs from the provider's (Anthropic's 529 becomes 503).</summary>
    public int? Status { get; init; }

    /// <summary>How long the provider asked to wait, when it says so in its body (Google's <c>RetryInfo</c>) rather than in a Retry-After header.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>What the provider's own fields (status, type, code) say went wrong; the adapter decides, routing reads it.</summary>
    public UpstreamErrorReason Reason { get; init; }

    /// <summary>Reads OpenAI's error shape (<c>{"error":{...}}</c>) or LiteLLM-style variants; falls back to the text.</summary>
    public static UpstreamError Parse(ReadOnlySpan<byte> body, int status)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            var error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var inner) ? inner : root;
            if (error.ValueKind == JsonValueKind.String)
            {
                return new UpstreamError(Cut(error.GetString()!), null, null);
            }

            if (error.ValueKind == JsonValueKind.Object)
            {
                var message = Text(error, "message") ?? Text(root, "message") ?? Text(root, "detail");
                if (message is not null)
                {
                    var code = Text(error, "code");
                    return new UpstreamError(Cut(message), Text(error, "type"), Text(error, "param")) { Code = code, Reason = ReasonOf(code) };
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: a proxy's HTML page or plain text; described below.
        }

        var text = System.Text.Encoding.UTF8.GetString(body.Length > 500 ? body[..500] : body).Trim();
        return new UpstreamError(
            text.Length == 0 ? $"The upstream answered HTTP {status} with an empty body." : $"The upstream answered HTTP {status}: {text}",
            null,
            null);
    }

    // OpenAI's and Azure OpenAI's codes.
    private static UpstreamErrorReason ReasonOf(string? code) => code switch
    {
        "context_length_exceeded" or "string_above_max_length" => UpstreamErrorReason.ContextWindowExceeded,
        "content_filter" or "content_policy_violation" => UpstreamErrorReason.ContentPolicy,
        "model_not_found" => UpstreamErrorReason.UnknownModel,
        _ => UpstreamErrorReason.Unclassified,
    };

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => value.GetRawText(),
            }
            : null;

    /// <summary>A provider's message as the client gets it: at most 2,000 characters.</summary>
    public static string Cut(string message) => message.Length <= MaxMessageLength ? message : message[..MaxMessageLength] + "…";
}
