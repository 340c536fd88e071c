using System.Text.Json;

namespace LlmGate.Providers.Cloudflare;

/// <summary>
/// Cloudflare's API envelope (<c>{"success":false,"errors":[{"code","message"}],"result":null}</c>) as an OpenAI error:
/// Workers AI's codes say more than its statuses (a refused token, an unknown model or account, a spent allocation).
/// </summary>
internal static class CloudflareErrors
{
    public static UpstreamError Parse(ReadOnlySpan<byte> body, int status)
    {
        if (Read(body) is { } error)
        {
            var (mapped, type, reason) = Map(error.Code, status, error.Message);
            return new UpstreamError(error.Message, type, null) { Code = error.Code?.ToString(System.Globalization.CultureInfo.InvariantCulture), Status = mapped == status ? null : mapped, Reason = reason };
        }

        return UpstreamError.Parse(body, status) with { Type = ErrorTypes.ForStatus(status), Param = null };
    }

    /// <summary>The first error's code and every error's message; null when the body is not Cloudflare's envelope.</summary>
    public static (int? Code, string Message)? Read(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            return Read(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static (int? Code, string Message)? Read(JsonElement root)
    {
        if (ProviderJson.Property(root, "errors") is not { ValueKind: JsonValueKind.Array } errors || errors.GetArrayLength() == 0)
        {
            return null;
        }

        int? code = ProviderJson.Property(errors[0], "code") is { ValueKind: JsonValueKind.Number } number && number.TryGetInt32(out var value) ? value : null;
        var messages = errors.EnumerateArray().Select(e => ProviderJson.String(e, "message")).OfType<string>().ToList();
        return (code, messages.Count > 0 ? string.Join("; ", messages) : $"Cloudflare error {code}");
    }

    /// <summary>Workers AI's codes (developers.cloudflare.com/workers-ai/platform/errors) as OpenAI's statuses and types.</summary>
    public static (int Status, string Type, UpstreamErrorReason Reason) Map(int? code, int status, string message) => code switch
    {
        // Cloudflare's API refuses a bad token as 10000 "Authentication error", whatever the status.
        10000 => (401, "authentication_error", UpstreamErrorReason.Unclassified),
        // "No such model … or task" comes as a 400: to OpenAI clients an unknown model is a 404.
        5007 or 3042 => (404, "invalid_request_error", UpstreamErrorReason.UnknownModel),
        // "Could not route to /client/v4/accounts/…, perhaps your object identifier is invalid?": the deployment's account is wrong.
        7003 or 7000 => (404, "invalid_request_error", UpstreamErrorReason.Unclassified),
        3036 or 3040 => (429, "rate_limit_error", UpstreamErrorReason.Unclassified),
        3007 or 3008 => (408, "api_error", UpstreamErrorReason.Unclassified),
        _ when status is 400 or 413 && (message.Contains("context window", StringComparison.OrdinalIgnoreCase)
            || message.Contains("too long", StringComparison.OrdinalIgnoreCase) || message.Contains("too many tokens", StringComparison.OrdinalIgnoreCase))
            => (status, "invalid_request_error", UpstreamErrorReason.ContextWindowExceeded),
        _ => (status, ErrorTypes.ForStatus(status), UpstreamErrorReason.Unclassified),
    };
}
