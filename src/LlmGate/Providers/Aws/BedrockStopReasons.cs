namespace LlmGate.Providers.Aws;

/// <summary>Converse's <c>stopReason</c> as OpenAI's <c>finish_reason</c>.</summary>
internal static class BedrockStopReasons
{
    /// <param name="calledTools">
    /// The answer holds tool calls the client sees. In JSON mode the one call is the answer's content, and the client,
    /// which asked for JSON, not tools, is told <c>stop</c>.
    /// </param>
    public static string ToOpenAi(string? stopReason, bool calledTools) => stopReason switch
    {
        "max_tokens" or "model_context_window_exceeded" => "length",
        "tool_use" when calledTools => "tool_calls",
        // LiteLLM passes guardrail_intervened through; OpenAI's clients know five reasons (the .NET SDK throws on others).
        "content_filtered" or "guardrail_intervened" => "content_filter",
        // end_turn, stop_sequence, and the rest (malformed_model_output, malformed_tool_use, values added later).
        _ => "stop",
    };
}
