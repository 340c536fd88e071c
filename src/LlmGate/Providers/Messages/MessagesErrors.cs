using System.Buffers;
using System.Text.Json;
using LlmGate.OpenAi;
using static LlmGate.Providers.ProviderJson;

namespace LlmGate.Providers.Messages;

/// <summary>
/// Errors on <c>/v1/messages</c> in Anthropic's shape, <c>{"type":"error","error":{"type","message"}}</c>: Anthropic's
/// SDKs and Claude Code read the type, and choose to retry by the status.
/// </summary>
internal static class MessagesErrors
{
    /// <summary>Anthropic's error type for a status: <see cref="AnthropicErrorBody.TypeFor"/>, the one table the gateway's own errors use too.</summary>
    public static string TypeFor(int status) => AnthropicErrorBody.TypeFor(status);

    /// <summary>The status an OpenAI error object carries where no HTTP status does (an error event mid-stream).</summary>
    public static int StatusOf(JsonElement error)
    {
        // The gateway writes the status as the code ("429"); providers write their own words there, or a number.
        var code = Property(error, "code");
        if ((code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out var number))
            || (code.ValueKind == JsonValueKind.String && int.TryParse(code.GetString(), out number)))
        {
            if (number is >= 400 and < 600)
            {
                return number;
            }
        }

        return String(error, "type") switch
        {
            "invalid_request_error" => 400,
            "authentication_error" => 401,
            "permission_error" => 403,
            "not_found_error" => 404,
            "rate_limit_error" => 429,
            _ => 500,
        };
    }

    /// <summary><c>error.message</c> of an OpenAI error (or <c>error</c> when it is a bare string); null for anything else.</summary>
    public static string? MessageOf(JsonElement error) => error.ValueKind switch
    {
        JsonValueKind.String => error.GetString(),
        JsonValueKind.Object => String(error, "message"),
        _ => null,
    };
}
