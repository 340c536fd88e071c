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
        if (error.Reason != UpstreamErrorReason.Unclassified || status is not (400 or 413 or 422))
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
}
