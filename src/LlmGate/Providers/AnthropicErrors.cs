namespace LlmGate.Providers;

/// <summary>
/// Anthropic's error types as OpenAI's names and statuses. 529 <c>overloaded_error</c> becomes 503: OpenAI clients and
/// HTTP tooling know 503 as "try again" (the OpenAI SDKs retry it); 529 is Anthropic's own code that they do not know.
/// </summary>
internal static class AnthropicErrors
{
    public static (int Status, string Type) Map(string? anthropicType, int status) => anthropicType switch
    {
        "invalid_request_error" => (status, "invalid_request_error"),
        "authentication_error" => (status, "authentication_error"),
        "permission_error" => (status, "permission_error"),
        // OpenAI answers a missing model with invalid_request_error (code model_not_found).
        "not_found_error" => (status, "invalid_request_error"),
        "request_too_large" => (status, "invalid_request_error"),
        "rate_limit_error" => (status, "rate_limit_error"),
        "overloaded_error" => (503, "api_error"),
        "api_error" => (status, "api_error"),
        _ when status == 529 => (503, "api_error"),
        _ => (status, ErrorTypes.ForStatus(status)),
    };

    /// <summary>The status of an <c>error</c> event inside a stream, which carries a type but no status.</summary>
    public static int StatusOf(string? anthropicType) => anthropicType switch
    {
        "invalid_request_error" => 400,
        "authentication_error" => 401,
        "permission_error" => 403,
        "not_found_error" => 404,
        "request_too_large" => 413,
        "rate_limit_error" => 429,
        "overloaded_error" => 503,
        _ => 500,
    };

    /// <summary>
    /// Anthropic has no error codes: a missing model is a <c>not_found_error</c> (the only thing the Messages API can
    /// miss), and a prompt over the context window an <c>invalid_request_error</c> whose message begins "prompt is too long".
    /// </summary>
    public static UpstreamErrorReason ReasonOf(string? anthropicType, string message) => anthropicType switch
    {
        "not_found_error" => UpstreamErrorReason.UnknownModel,
        "invalid_request_error" when message.StartsWith("prompt is too long", StringComparison.Ordinal) => UpstreamErrorReason.ContextWindowExceeded,
        _ => UpstreamErrorReason.Unclassified,
    };
}
