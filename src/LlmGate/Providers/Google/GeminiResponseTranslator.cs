using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using LlmGate.Calls;

namespace LlmGate.Providers.Google;

/// <summary>
/// Turns Gemini's <c>GenerateContentResponse</c> into an OpenAI <c>chat.completion</c>: a choice per candidate, its text,
/// thoughts as <c>reasoning_content</c>, function calls as tool calls, finish reason and usage.
/// </summary>
internal static class GeminiResponseTranslator
{
    /// <param name="model">The model the client is told, as it asked for it (Gemini's <c>modelVersion</c> may differ).</param>
    /// <param name="usage">The answer's token counts, as the client's <c>usage</c> reports them.</param>
    /// <exception cref="JsonException">The body is not a <c>GenerateContentResponse</c>.</exception>
    public static byte[] Translate(ReadOnlySpan<byte> geminiBody, string model, long created, out TokenUsage usage)
    {
        using var document = JsonDocument.Parse(geminiBody.ToArray());
        var root = document.RootElement;
        var candidates = ProviderJson.Property(root, "candidates");
        var promptFeedback = ProviderJson.Property(root, "promptFeedback");
        var usageMetadata = ProviderJson.Property(root, "usageMetadata");
        if (candidates.ValueKind != JsonValueKind.Array && promptFeedback.ValueKind != JsonValueKind.Object && usageMetadata.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The body is not a Gemini GenerateContentResponse.");
        }

        var chatUsage = GeminiUsage.From(usageMetadata);
        usage = chatUsage.ToTokenUsage();
        // A blocked prompt has no candidates; OpenAI clients expect a choice, and LiteLLM gives one.
        List<ChatChoice> choices = candidates.ValueKind == JsonValueKind.Array && candidates.GetArrayLength() > 0
            ? [.. candidates.EnumerateArray().Select(Choice)]
            : [new ChatChoice(0, null, null, [], ProviderJson.String(promptFeedback, "blockReason") is not null ? "content_filter" : "stop")];
        return ChatCompletionWriter.Write(CompletionId(root), model, created, choices, chatUsage, geminiBody.Length + 256);
    }

    /// <summary>
    /// Whether Gemini refused and said nothing: the prompt blocked (<c>promptFeedback.blockReason</c>), or every candidate
    /// stopped for its content with no text or function call to show. The adapter fails such an answer as a content-policy
    /// refusal before writing anything, so that <c>content_policy_fallbacks</c> can take over.
    /// </summary>
    public static bool IsBlocked(ReadOnlySpan<byte> geminiResponse) => IsBlocked(geminiResponse, out _);

    /// <param name="message">For the client's error: what Gemini blocked and why, e.g. "Gemini blocked the prompt: SAFETY".</param>
    public static bool IsBlocked(ReadOnlySpan<byte> geminiResponse, [NotNullWhen(true)] out string? message)
    {
        message = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(geminiResponse.ToArray());
        }
        catch (JsonException)
        {
            // Not an answer at all: Translate says so.
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (ProviderJson.String(ProviderJson.Property(root, "promptFeedback"), "blockReason") is { } blockReason)
            {
                message = $"Gemini blocked the prompt: {blockReason}";
                return true;
            }

            var candidates = ProviderJson.Property(root, "candidates");
            if (candidates.ValueKind != JsonValueKind.Array || candidates.GetArrayLength() == 0)
            {
                return false;
            }

            var reasons = new List<string>();
            foreach (var candidate in candidates.EnumerateArray())
            {
                var finishReason = ProviderJson.String(candidate, "finishReason");
                if (!GeminiFinishReasons.IsBlock(finishReason) || HasAnswer(candidate))
                {
                    return false;
                }

                if (!reasons.Contains(finishReason!))
                {
                    reasons.Add(finishReason!);
                }
            }

            message = $"Gemini blocked the response: {string.Join(", ", reasons)}";
            return true;
        }
    }

    /// <summary><c>chatcmpl-</c> and Gemini's <c>responseId</c>, or a fresh id where Gemini gave none.</summary>
    public static string CompletionId(JsonElement response) =>
        ProviderJson.String(response, "responseId") is { Length: > 0 } id ? "chatcmpl-" + id : ProviderJson.NewId("chatcmpl-");

    /// <summary>
    /// A fresh id for a <c>functionCall</c> part (Gemini sends none), carrying the part's <c>thoughtSignature</c> so the
    /// request translator can return it with the call.
    /// </summary>
    public static string ToolCallId(JsonElement part) =>
        ProviderJson.String(part, "thoughtSignature") is { Length: > 0 } signature
            ? ProviderJson.NewId("call_") + GeminiRequestTranslator.ThoughtSignatureSeparator + signature
            : ProviderJson.NewId("call_");

    /// <summary>The candidate's parts, in order.</summary>
    public static JsonElement.ArrayEnumerator Parts(JsonElement candidate) =>
        ProviderJson.Property(ProviderJson.Property(candidate, "content"), "parts") is { ValueKind: JsonValueKind.Array } parts ? parts.EnumerateArray() : default;

    public static bool IsThought(JsonElement part) => ProviderJson.Property(part, "thought").ValueKind == JsonValueKind.True;

    private static bool HasAnswer(JsonElement candidate)
    {
        foreach (var part in Parts(candidate))
        {
            if (ProviderJson.Property(part, "functionCall").ValueKind == JsonValueKind.Object
                || (!IsThought(part) && ProviderJson.String(part, "text") is { Length: > 0 }))
            {
                return true;
            }
        }

        return false;
    }

    private static ChatChoice Choice(JsonElement candidate, int position)
    {
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var calls = new List<ChatToolCall>();
        foreach (var part in Parts(candidate))
        {
            if (ProviderJson.Property(part, "functionCall") is { ValueKind: JsonValueKind.Object } call)
            {
                calls.Add(new ChatToolCall(ToolCallId(part), ProviderJson.String(call, "name"), Arguments(call)));
            }
            else if (ProviderJson.String(part, "text") is { } partText)
            {
                (IsThought(part) ? reasoning : text).Append(partText);
            }
        }

        var index = ProviderJson.Property(candidate, "index") is { ValueKind: JsonValueKind.Number } i && i.TryGetInt32(out var number) ? number : position;
        var finishReason = ProviderJson.String(candidate, "finishReason");
        // LiteLLM's reading of a content filter: nothing of what Gemini stopped reaches the client.
        return GeminiFinishReasons.IsBlock(finishReason)
            ? new ChatChoice(index, null, null, [], "content_filter")
            : new ChatChoice(
                index,
                text.Length > 0 ? text.ToString() : null,
                reasoning.Length > 0 ? reasoning.ToString() : null,
                calls,
                GeminiFinishReasons.ToOpenAi(finishReason, calls.Count > 0));
    }

    /// <summary>A function call's <c>args</c> as OpenAI's <c>arguments</c> string; <c>{}</c> for a call without arguments.</summary>
    public static string Arguments(JsonElement functionCall) =>
        ProviderJson.Arguments(ProviderJson.Property(functionCall, "args") is { ValueKind: JsonValueKind.Object } args ? args : default);
}
