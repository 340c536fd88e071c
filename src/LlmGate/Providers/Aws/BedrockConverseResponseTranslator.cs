using System.Text;
using System.Text.Json;
using LlmGate.Calls;

namespace LlmGate.Providers.Aws;

/// <summary>
/// Turns Converse's answer (<c>output.message.content</c> blocks, <c>stopReason</c>, <c>usage</c>) into an OpenAI
/// <c>chat.completion</c>: text blocks as the content, <c>reasoningContent</c> as <c>reasoning_content</c>,
/// <c>toolUse</c> blocks as tool calls (or, in JSON mode, the forced <c>json_tool_call</c>'s input as the content).
/// </summary>
internal static class BedrockConverseResponseTranslator
{
    /// <param name="model">The model the client is told, as it asked for it: Converse names none.</param>
    /// <param name="jsonMode">The request was translated in JSON mode (<see cref="BedrockConverseRequest.JsonMode"/>).</param>
    /// <param name="usage">The answer's token counts, as the client's <c>usage</c> reports them.</param>
    /// <exception cref="JsonException">The body is not a Converse answer.</exception>
    public static byte[] Translate(ReadOnlySpan<byte> body, string model, long created, bool jsonMode, out TokenUsage usage)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var root = document.RootElement;
        var output = ProviderJson.Property(root, "output");
        if (output.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The body is not a Bedrock Converse answer: it has no 'output'.");
        }

        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var toolCalls = new List<ChatToolCall>();
        if (ProviderJson.Property(ProviderJson.Property(output, "message"), "content") is { ValueKind: JsonValueKind.Array } content)
        {
            foreach (var block in content.EnumerateArray())
            {
                if (ProviderJson.String(block, "text") is { } blockText)
                {
                    text.Append(blockText);
                }
                else if (ProviderJson.String(ProviderJson.Property(ProviderJson.Property(block, "reasoningContent"), "reasoningText"), "text") is { } thought)
                {
                    reasoning.Append(thought);
                }
                else if (ProviderJson.Property(block, "toolUse") is { ValueKind: JsonValueKind.Object } toolUse)
                {
                    if (IsJsonAnswer(toolUse, jsonMode))
                    {
                        text.Append(Input(toolUse));
                    }
                    else
                    {
                        toolCalls.Add(new ChatToolCall(ProviderJson.String(toolUse, "toolUseId"), ProviderJson.String(toolUse, "name"), Input(toolUse)));
                    }
                }
            }
        }

        var chatUsage = BedrockUsage.From(ProviderJson.Property(root, "usage"));
        usage = chatUsage.ToTokenUsage();
        return ChatCompletionWriter.Write(
            ProviderJson.NewId("chatcmpl-"),
            model,
            created,
            text.ToString(),
            reasoning.ToString(),
            toolCalls,
            BedrockStopReasons.ToOpenAi(ProviderJson.String(root, "stopReason"), toolCalls.Count > 0),
            chatUsage,
            body.Length);
    }

    /// <summary>In JSON mode, the forced tool's call is the answer the client asked for, not a tool call.</summary>
    public static bool IsJsonAnswer(JsonElement toolUse, bool jsonMode) =>
        jsonMode && ProviderJson.String(toolUse, "name") == BedrockConverseRequestTranslator.JsonToolName;

    // A toolUse's input as OpenAI's arguments string; {} for a call without input.
    private static string Input(JsonElement toolUse) =>
        ProviderJson.Property(toolUse, "input") is { ValueKind: JsonValueKind.Object } input ? ProviderJson.Compact(input) : "{}";
}
