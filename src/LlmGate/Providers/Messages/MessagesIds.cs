namespace LlmGate.Providers.Messages;

/// <summary>The ids of a translated answer, in the forms Anthropic's clients and API expect.</summary>
internal static class MessagesIds
{
    /// <summary>Anthropic's message ids start <c>msg_</c>; an answer without an id gets a fresh one.</summary>
    public static string Message(string? openAiId) =>
        string.IsNullOrEmpty(openAiId) ? ProviderJson.NewId("msg_")
        : openAiId.StartsWith("msg_", StringComparison.Ordinal) ? openAiId
        : "msg_" + openAiId;

    /// <summary>
    /// A tool call's id as a <c>tool_use</c> id. Anthropic accepts only <c>[A-Za-z0-9_-]</c>, and the client sends the id
    /// back in its <c>tool_result</c>, perhaps to a Claude deployment after a fallback; other characters (Gemini's
    /// <c>functions.Bash:0</c>) become <c>_</c>, as LiteLLM does. A call without an id gets a fresh one.
    /// </summary>
    public static string ToolUse(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return ProviderJson.NewId("toolu_");
        }

        return string.Create(id.Length, id, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_';
            }
        });
    }
}
