using Microsoft.AspNetCore.Http;

namespace LlmGate.Keys;

/// <summary>A management request the gateway refuses: written as LiteLLM's error body with this status.</summary>
internal sealed class ManagementException(int status, string message, string type, string? param = null) : Exception(message)
{
    public int Status { get; } = status;

    public string Type { get; } = type;

    public string? Param { get; } = param;

    public static ManagementException BadRequest(string message, string? param = null) =>
        new(StatusCodes.Status400BadRequest, message, "bad_request_error", param);

    public static ManagementException NotFound(string message, string? param = null) =>
        new(StatusCodes.Status404NotFound, message, "not_found_error", param);
}
