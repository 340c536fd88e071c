using System.Text.Json.Nodes;

namespace LlmGate.Providers;

/// <summary>
/// Builds the turns of a provider whose roles alternate (Anthropic, Gemini): consecutive OpenAI messages that become
/// one role (several tool results, a user message after a tool result) merge into one turn.
/// </summary>
internal static class AlternatingTurns
{
    /// <param name="itemsName">The turn's list field: <c>content</c> for Anthropic, <c>parts</c> for Gemini.</param>
    public static void Add(List<JsonObject> turns, string role, string itemsName, List<JsonObject> items)
    {
        if (turns.Count > 0 && OpenAiChatRequest.Text(turns[^1]["role"]) == role)
        {
            var existing = (JsonArray)turns[^1][itemsName]!;
            foreach (var item in items)
            {
                existing.Add(item);
            }

            return;
        }

        turns.Add(new JsonObject { ["role"] = role, [itemsName] = new JsonArray([.. items]) });
    }
}
