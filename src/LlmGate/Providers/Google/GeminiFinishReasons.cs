namespace LlmGate.Providers.Google;

/// <summary>Gemini's <c>finishReason</c> as OpenAI's <c>finish_reason</c>.</summary>
internal static class GeminiFinishReasons
{
    /// <summary>
    /// Whether Gemini stopped the candidate for its content (a safety block, recitation, a blocklist): the answer is a
    /// content filter's, as LiteLLM reports it, with no content.
    /// </summary>
    public static bool IsBlock(string? finishReason) => finishReason is
        "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "IMAGE_SAFETY" or "IMAGE_PROHIBITED_CONTENT" or "IMAGE_RECITATION";

    /// <param name="calledFunctions">
    /// The candidate holds <c>functionCall</c> parts: Gemini still says <c>STOP</c>, OpenAI clients look for <c>tool_calls</c>.
    /// </param>
    public static string ToOpenAi(string? finishReason, bool calledFunctions) => finishReason switch
    {
        "MAX_TOKENS" => "length",
        _ when IsBlock(finishReason) => "content_filter",
        // STOP, unspecified, and the rest (MALFORMED_FUNCTION_CALL, LANGUAGE, OTHER, values added later): OpenAI's
        // clients know five reasons (the .NET SDK throws on others), and "stop" is the one that claims nothing more.
        _ => calledFunctions ? "tool_calls" : "stop",
    };
}
