namespace LlmGate.Providers;

/// <summary>
/// Errors in OpenAI's shape. OpenAI and Azure give a <c>code</c>; the servers that copy OpenAI's API (vLLM, Ollama,
/// LM Studio, TGI...) often answer a too-long prompt with a 400 and no code, so for those alone their known messages
/// are read, as LiteLLM reads them.
/// </summary>
internal static class OpenAiCompatibleErrors
{
    private static readonly string[] ContextWindowMessages =
    [
        "maximum context length", "context length", "context window", "prompt is too long", "input is too long", "too many tokens",
    ];

    public static UpstreamError Parse(ReadOnlySpan<byte> body, int status)
    {
        var error = UpstreamError.Parse(body, status);
        // A server that gives a code of its own has said what the error is; only code-less answers are read for their message.
        if (error.Reason != UpstreamErrorReason.Unclassified || status is not (400 or 413 or 422) || HasNamedCode(error))
        {
            return error;
        }

        foreach (var fragment in ContextWindowMessages)
        {
            if (error.Message.Contains(fragment, StringComparison.OrdinalIgnoreCase))
            {
                return error with { Reason = UpstreamErrorReason.ContextWindowExceeded };
            }
        }

        return error;
    }

    // vLLM repeats the HTTP status as its code; that names nothing.
    private static bool HasNamedCode(UpstreamError error) => error.Code is { Length: > 0 } code && !code.All(char.IsAsciiDigit);
}
