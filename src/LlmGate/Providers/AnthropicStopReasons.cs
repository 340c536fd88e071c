namespace LlmGate.Providers;

/// <summary>Anthropic's <c>stop_reason</c> and OpenAI's <c>finish_reason</c>, both ways, in one place.</summary>
internal static class AnthropicStopReasons
{
    /// <summary>Anthropic's <c>stop_reason</c> as OpenAI's <c>finish_reason</c>.</summary>
    public static string ToFinishReason(string? stopReason) => stopReason switch
    {
        "max_tokens" or "model_context_window_exceeded" => "length",
        "tool_use" => "tool_calls",
        "refusal" => "content_filter",
        _ => "stop",
    };

    /// <summary>
    /// OpenAI's <c>finish_reason</c> as Anthropic's <c>stop_reason</c>. OpenAI does not say which stop sequence
    /// matched, so a stop is <c>end_turn</c> (with <c>stop_sequence</c> null), as LiteLLM answers it.
    /// </summary>
    public static string FromFinishReason(string? finishReason) => finishReason switch
    {
        "length" => "max_tokens",
        "tool_calls" or "function_call" => "tool_use",
        "content_filter" => "refusal",
        _ => "end_turn",
    };
}
