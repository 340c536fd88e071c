namespace LlmGate.Providers.Cohere;

/// <summary>
/// Cohere's errors (<c>{"id"?, "message"}</c>, the HTTP status saying what kind) as OpenAI's: the status names the type,
/// and Cohere's own statuses become ones OpenAI clients know; the message says what routing needs (a prompt over the
/// context window, an unknown model).
/// </summary>
internal static class CohereErrors
{
    public static UpstreamError Parse(ReadOnlySpan<byte> body, int status)
    {
        // The shared parser reads a top-level "message", and describes a body that is not JSON.
        var parsed = UpstreamError.Parse(body, status);
        var (mapped, type) = Map(status);
        return parsed with { Type = type, Param = null, Code = null, Status = mapped == status ? null : mapped, Reason = ReasonOf(mapped, parsed.Message) };
    }

    /// <summary>
    /// 498 (Cohere's invalid token) is a 401; 402 (payment required) is OpenAI's 429 <c>insufficient_quota</c>, which
    /// clients and routing treat as this deployment's limit; 499 (Cohere cancelled the request) is a 500 to retry.
    /// </summary>
    public static (int Status, string Type) Map(int status) => status switch
    {
        400 or 404 or 413 or 422 => (status, "invalid_request_error"),
        401 or 498 => (401, "authentication_error"),
        402 => (429, "insufficient_quota"),
        403 => (403, "permission_error"),
        429 => (429, "rate_limit_error"),
        499 => (500, "api_error"),
        _ => (status, ErrorTypes.ForStatus(status)),
    };

    // Cohere has no error codes; its messages are read: "too many tokens: size limit exceeded by 1124 tokens. Try using
    // shorter or fewer inputs…" and "model 'command-x' not found, make sure the correct model ID was used…".
    private static UpstreamErrorReason ReasonOf(int status, string message) => status switch
    {
        400 or 422 when message.Contains("too many tokens", StringComparison.OrdinalIgnoreCase)
            || message.Contains("context length", StringComparison.OrdinalIgnoreCase) => UpstreamErrorReason.ContextWindowExceeded,
        404 when message.Contains("model", StringComparison.OrdinalIgnoreCase) => UpstreamErrorReason.UnknownModel,
        _ => UpstreamErrorReason.Unclassified,
    };
}
