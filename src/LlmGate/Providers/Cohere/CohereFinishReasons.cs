namespace LlmGate.Providers.Cohere;

/// <summary>Cohere's <c>finish_reason</c> as OpenAI's, by LiteLLM's <c>map_finish_reason</c> where it has one.</summary>
internal static class CohereFinishReasons
{
    /// <param name="calledTools">The answer holds tool calls: OpenAI clients look for <c>tool_calls</c> whatever Cohere said.</param>
    public static string ToOpenAi(string? finishReason, bool calledTools) => finishReason switch
    {
        "MAX_TOKENS" => "length",
        // Cut short by Cohere's time limit: like a length stop, the answer is incomplete.
        "TIMEOUT" => "length",
        "ERROR_TOXIC" => "content_filter",
        _ when calledTools => "tool_calls",
        // COMPLETE, STOP_SEQUENCE, and ERROR (LiteLLM's reading: what was generated is the answer); OpenAI's clients know
        // five reasons, and "stop" claims nothing more.
        _ => "stop",
    };
}
