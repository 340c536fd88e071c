using System.Buffers;
using System.Text.Json;

namespace LlmGate.Providers.Aws;

/// <summary>
/// Bedrock's errors (<c>{"message":"…"}</c>, the exception's name in the <c>x-amzn-ErrorType</c> header or in the body's
/// <c>__type</c> or <c>code</c>) as OpenAI errors. The exception's name sets the status and type: Bedrock's 424
/// (<c>ModelErrorException</c>, a model that failed) becomes 500, which OpenAI clients know and retry; its 408
/// (<c>ModelTimeoutException</c>) 504, as a gateway's upstream timeout; <c>ServiceQuotaExceededException</c> (400) 429, as
/// the deployment's account, not the request, is at its limit; AWS's credential failures (403) 401.
/// </summary>
internal static class BedrockErrors
{
    private static readonly Dictionary<string, (int Status, string Type)> ByException = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ValidationException"] = (400, "invalid_request_error"),
        ["ServiceQuotaExceededException"] = (429, "rate_limit_error"),
        ["AccessDeniedException"] = (403, "permission_error"),
        // OpenAI answers a missing model with invalid_request_error (code model_not_found).
        ["ResourceNotFoundException"] = (404, "invalid_request_error"),
        ["ModelTimeoutException"] = (504, "api_error"),
        ["ThrottlingException"] = (429, "rate_limit_error"),
        ["ModelNotReadyException"] = (429, "rate_limit_error"),
        ["ModelErrorException"] = (500, "api_error"),
        ["ModelStreamErrorException"] = (500, "api_error"),
        ["InternalServerException"] = (500, "api_error"),
        ["ServiceUnavailableException"] = (503, "api_error"),
        ["UnrecognizedClientException"] = (401, "authentication_error"),
        ["InvalidSignatureException"] = (401, "authentication_error"),
        ["IncompleteSignatureException"] = (401, "authentication_error"),
        ["MissingAuthenticationTokenException"] = (401, "authentication_error"),
        ["ExpiredTokenException"] = (401, "authentication_error"),
    };

    // Bedrock has no codes for these; its messages are read, as LiteLLM reads them.
    private static readonly string[] ContextWindowPhrases =
        ["too many input tokens", "input is too long", "prompt is too long", "maximum context length", "context window", "context length"];

    private static readonly string[] ContentPolicyPhrases = ["guardrail", "content filter", "blocked by"];

    /// <param name="errorType">The <c>x-amzn-ErrorType</c> header (<c>ValidationException:http://…</c>), when the response has one.</param>
    public static UpstreamError Parse(ReadOnlySpan<byte> body, int status, string? errorType = null)
    {
        string? message = null;
        var exception = ExceptionName(errorType);
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            message = ProviderJson.String(root, "message") ?? ProviderJson.String(root, "Message");
            exception ??= ExceptionName(ProviderJson.String(root, "__type") ?? ProviderJson.String(root, "code"));
        }
        catch (JsonException)
        {
            // Not JSON: a proxy's page or plain text, described by the shared parser below.
        }

        // A refused signature quotes the canonical request it expected, signed headers included (the session token):
        // the first sentence says enough, the rest stays out of the client's answer.
        if (message?.IndexOf("The Canonical String", StringComparison.Ordinal) is > 0 and var canonical)
        {
            message = message[..canonical].TrimEnd();
        }

        var (mapped, type) = Map(exception, status);
        var error = message is { Length: > 0 }
            ? new UpstreamError(UpstreamError.Cut(message), type, null)
            : UpstreamError.Parse(body, status) with { Type = type, Param = null };
        return error with
        {
            Code = exception,
            Status = mapped == status ? null : mapped,
            Reason = ReasonOf(mapped, error.Message),
        };
    }

    /// <summary>
    /// An exception or error frame of a stream (<see cref="AwsEventStreams"/>' <c>exception:…</c> and <c>error:…</c>
    /// events) as the error the client gets in the stream. <see cref="UpstreamError.Status"/> is always set: the
    /// stream's own status was 200.
    /// </summary>
    public static UpstreamError FromStreamEvent(UpstreamEvent upstreamEvent)
    {
        var name = upstreamEvent.Type[(upstreamEvent.Type.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var error = Parse(upstreamEvent.Data.Span, 500, name);
        return error with { Status = error.Status ?? 500 };
    }

    /// <summary>
    /// Writes an exception or error frame to the client as OpenAI's error event, which ends the stream (no <c>[DONE]</c>
    /// follows), and returns its message.
    /// </summary>
    public static string WriteStreamError(UpstreamEvent upstreamEvent, IBufferWriter<byte> output)
    {
        var error = FromStreamEvent(upstreamEvent);
        ChatChunkWriter.WriteError(output, error.Status ?? 500, error.Message, error.Type ?? "api_error");
        return error.Message;
    }

    /// <summary>Whether an event is an exception or error frame rather than one of the stream's events.</summary>
    public static bool IsStreamError(UpstreamEvent upstreamEvent) =>
        upstreamEvent.Type.StartsWith(AwsEventStreams.ExceptionPrefix, StringComparison.Ordinal)
        || upstreamEvent.Type.StartsWith(AwsEventStreams.ErrorPrefix, StringComparison.Ordinal);

    public static (int Status, string Type) Map(string? exception, int status) =>
        exception is not null && ByException.TryGetValue(exception, out var mapped) ? mapped
        : status == 424 ? (500, "api_error")
        : (status, ErrorTypes.ForStatus(status));

    // The exception's bare name, from the header's "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/"
    // or a body's "com.amazon.coral.service#UnrecognizedClientException".
    private static string? ExceptionName(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var name = value.AsSpan();
        var colon = name.IndexOf(':');
        if (colon >= 0)
        {
            name = name[..colon];
        }

        var hash = name.LastIndexOf('#');
        return (hash >= 0 ? name[(hash + 1)..] : name).Trim().ToString() is { Length: > 0 } result ? result : null;
    }

    // Only a ValidationException (400) says the prompt is too long or was refused for its content.
    private static UpstreamErrorReason ReasonOf(int status, string message)
    {
        if (message.Contains("model identifier is invalid", StringComparison.OrdinalIgnoreCase)
            || (status == 404 && message.Contains("model", StringComparison.OrdinalIgnoreCase)))
        {
            return UpstreamErrorReason.UnknownModel;
        }

        if (status != 400)
        {
            return UpstreamErrorReason.Unclassified;
        }

        if (ContextWindowPhrases.Any(phrase => message.Contains(phrase, StringComparison.OrdinalIgnoreCase))
            || (message.Contains("exceeds the maximum", StringComparison.OrdinalIgnoreCase) && message.Contains("input", StringComparison.OrdinalIgnoreCase)))
        {
            return UpstreamErrorReason.ContextWindowExceeded;
        }

        return ContentPolicyPhrases.Any(phrase => message.Contains(phrase, StringComparison.OrdinalIgnoreCase))
            ? UpstreamErrorReason.ContentPolicy
            : UpstreamErrorReason.Unclassified;
    }
}
