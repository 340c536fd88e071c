using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using LlmGate.Calls;
using LlmGate.OpenAi;

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

        var buffer = new ArrayBufferWriter<byte>(geminiBody.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id", CompletionId(root));
            writer.WriteString("object", "chat.completion");
            writer.WriteNumber("created", created);
            writer.WriteString("model", model);
            writer.WriteStartArray("choices");
            if (candidates.ValueKind == JsonValueKind.Array && candidates.GetArrayLength() > 0)
            {
                var position = 0;
                foreach (var candidate in candidates.EnumerateArray())
                {
                    WriteChoice(writer, candidate, position++);
                }
            }
            else
            {
                // A blocked prompt has no candidates; OpenAI clients expect a choice, and LiteLLM gives one.
                var blocked = ProviderJson.String(promptFeedback, "blockReason") is not null;
                WriteChoice(writer, 0, null, null, [], blocked ? "content_filter" : "stop");
            }

            writer.WriteEndArray();
            var chatUsage = GeminiUsage.From(usageMetadata);
            chatUsage.Write(writer);
            usage = chatUsage.ToTokenUsage();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
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

    private static void WriteChoice(Utf8JsonWriter writer, JsonElement candidate, int position)
    {
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var calls = new List<JsonElement>();
        foreach (var part in Parts(candidate))
        {
            if (ProviderJson.Property(part, "functionCall").ValueKind == JsonValueKind.Object)
            {
                calls.Add(part);
            }
            else if (ProviderJson.String(part, "text") is { } partText)
            {
                (IsThought(part) ? reasoning : text).Append(partText);
            }
        }

        var index = ProviderJson.Property(candidate, "index") is { ValueKind: JsonValueKind.Number } i && i.TryGetInt32(out var number) ? number : position;
        var finishReason = ProviderJson.String(candidate, "finishReason");
        if (GeminiFinishReasons.IsBlock(finishReason))
        {
            // LiteLLM's reading of a content filter: nothing of what Gemini stopped reaches the client.
            WriteChoice(writer, index, null, null, [], "content_filter");
            return;
        }

        WriteChoice(
            writer,
            index,
            text.Length > 0 ? text.ToString() : null,
            reasoning.Length > 0 ? reasoning.ToString() : null,
            calls,
            GeminiFinishReasons.ToOpenAi(finishReason, calls.Count > 0));
    }

    private static void WriteChoice(Utf8JsonWriter writer, int index, string? content, string? reasoning, List<JsonElement> calls, string finishReason)
    {
        writer.WriteStartObject();
        writer.WriteNumber("index", index);
        writer.WriteStartObject("message");
        writer.WriteString("role", "assistant");
        writer.WriteString("content", content);
        if (reasoning is not null)
        {
            writer.WriteString("reasoning_content", reasoning);
        }

        if (calls.Count > 0)
        {
            writer.WriteStartArray("tool_calls");
            foreach (var part in calls)
            {
                var call = part.GetProperty("functionCall");
                writer.WriteStartObject();
                writer.WriteString("id", ToolCallId(part));
                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", ProviderJson.String(call, "name"));
                writer.WriteString("arguments", Arguments(call));
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteString("finish_reason", finishReason);
        writer.WriteEndObject();
    }

    /// <summary>A function call's <c>args</c> as OpenAI's <c>arguments</c> string; <c>{}</c> for a call without arguments.</summary>
    public static string Arguments(JsonElement functionCall) =>
        ProviderJson.Property(functionCall, "args") is { ValueKind: JsonValueKind.Object } args ? ProviderJson.Compact(args) : "{}";
}
