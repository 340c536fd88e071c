using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Testing;

/// <summary>Google's error envelope, <c>{"error":{"code","message","status","details"?}}</c>, with the status word for each HTTP code.</summary>
internal static class GoogleError
{
    public const string ErrorInfoType = "type.googleapis.com/google.rpc.ErrorInfo";

    public static string StatusOf(int code) => code switch
    {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ABORTED",
        429 => "RESOURCE_EXHAUSTED",
        499 => "CANCELLED",
        500 => "INTERNAL",
        501 => "NOT_IMPLEMENTED",
        503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => "UNKNOWN",
    };

    /// <summary>An <c>ErrorInfo</c> detail: why, from which domain, with optional metadata.</summary>
    public static JsonObject ErrorInfo(string reason, string domain, JsonObject? metadata = null)
    {
        var info = new JsonObject { ["@type"] = ErrorInfoType, ["reason"] = reason, ["domain"] = domain };
        if (metadata is not null)
        {
            info["metadata"] = metadata;
        }

        return info;
    }

    public static Task WriteAsync(HttpContext context, int code, string message, params JsonObject[] details)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message, ["status"] = StatusOf(code) };
        if (details.Length > 0)
        {
            error["details"] = new JsonArray([.. details]);
        }

        context.Response.StatusCode = code;
        return context.Response.WriteAsJsonAsync(new JsonObject { ["error"] = error });
    }

    /// <summary>A 400 INVALID_ARGUMENT naming what is wrong with the request.</summary>
    public static Task InvalidArgumentAsync(HttpContext context, string message) => WriteAsync(context, 400, message);
}
