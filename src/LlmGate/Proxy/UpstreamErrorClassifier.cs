namespace LlmGate.Proxy;

/// <summary>
/// Reads an upstream error for routing: context-window and content-policy errors lead to their own fallbacks;
/// other client errors lead nowhere. Matches OpenAI's codes and the messages LiteLLM maps for other providers.
/// </summary>
internal static class UpstreamErrorClassifier
{
    private static readonly string[] ContextWindowMessages =
    [
        "maximum context length", "context_length_exceeded", "context length", "context window", "prompt is too long",
        "input is too long", "too many tokens", "string too long",
    ];

    private static readonly string[] ContentPolicyMessages =
    [
        "content_policy_violation", "content management policy", "content_filter", "content policy", "safety system",
    ];

    public static FallbackTrigger Classify(int status, UpstreamError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (status is 400 or 413 or 422)
        {
            if (error.Code is "context_length_exceeded" || ContainsAny(error.Message, ContextWindowMessages))
            {
                return FallbackTrigger.ContextWindow;
            }

            if (error.Code is "content_filter" or "content_policy_violation" || ContainsAny(error.Message, ContentPolicyMessages))
            {
                return FallbackTrigger.ContentPolicy;
            }
        }

        return status is 401 or 403 or 404 or 408 or 429 or >= 500 ? FallbackTrigger.General : FallbackTrigger.None;
    }

    private static bool ContainsAny(string text, string[] fragments)
    {
        foreach (var fragment in fragments)
        {
            if (text.Contains(fragment, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
