namespace LlmGate.Providers;

/// <summary>OpenAI's error types, for an upstream error whose own fields name none a client would know.</summary>
internal static class ErrorTypes
{
    public static string ForStatus(int status) => status switch
    {
        400 or 404 or 413 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        429 => "rate_limit_error",
        _ => "api_error",
    };
}
