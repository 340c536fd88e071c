using System.Buffers;
using System.Text;
using System.Text.Json;
using LlmGate.OpenAi;
using static LlmGate.Providers.ProviderJson;

namespace LlmGate.Providers.Messages;

/// <summary>
/// Turns a complete OpenAI <c>chat.completion</c> into an Anthropic message: reasoning as a <c>thinking</c> block, the
/// text, each tool call as a <c>tool_use</c> block, the stop reason and usage. The reverse of
/// <see cref="AnthropicResponseTranslator"/>.
/// </summary>
internal static class MessagesAnswerTranslator
{
    public static byte[] FromChatCompletion(ReadOnlySpan<byte> chatCompletion)
    {
        var reader = new Utf8JsonReader(chatCompletion);
        using var document = JsonDocument.ParseValue(ref reader);
        var answer = document.RootElement;
        var choices = Property(answer, "choices");
        var choice = choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0 ? choices[0] : default;
        var message = Property(choice, "message");
        var toolCalls = Property(message, "tool_calls");
        var hasToolCalls = toolCalls.ValueKind == JsonValueKind.Array && toolCalls.GetArrayLength() > 0;

        var buffer = new ArrayBufferWriter<byte>(chatCompletion.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id", MessagesIds.Message(String(answer, "id")));
            writer.WriteString("type", "message");
            writer.WriteString("role", "assistant");
            writer.WriteString("model", String(answer, "model") ?? "");
            writer.WriteStartArray("content");
            if (Reasoning(message) is { Length: > 0 } reasoning)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "thinking");
                writer.WriteString("thinking", reasoning);
                writer.WriteString("signature", ""); // no provider but Anthropic signs its thinking
                writer.WriteEndObject();
            }

            if (Text(message) is { Length: > 0 } text)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "text");
                writer.WriteString("text", text);
                writer.WriteEndObject();
            }

            if (hasToolCalls)
            {
                foreach (var call in toolCalls.EnumerateArray())
                {
                    ToolUse(call, writer);
                }
            }

            writer.WriteEndArray();
            writer.WriteString("stop_reason", StopReason(String(choice, "finish_reason"), hasToolCalls));
            writer.WriteNull("stop_sequence");
            AnthropicUsage.FromOpenAi(Property(answer, "usage")).Write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The stop reason; some OpenAI-compatible servers (vLLM, Ollama) finish tool calls with "stop", but Anthropic's
    /// clients run the tools only on <c>tool_use</c>.
    /// </summary>
    public static string StopReason(string? finishReason, bool hasToolCalls) =>
        hasToolCalls && finishReason is null or "stop" ? "tool_use" : AnthropicStopReasons.FromFinishReason(finishReason);

    /// <summary>
    /// A message's or delta's reasoning: OpenAI-compatible servers name it <c>reasoning_content</c> (DeepSeek, LiteLLM)
    /// or <c>reasoning</c> (vLLM, OpenRouter).
    /// </summary>
    public static string? Reasoning(JsonElement message) => String(message, "reasoning_content") ?? String(message, "reasoning");

    // content is a string, or in some servers a list of text parts; a refusal is the model's answer too.
    private static string? Text(JsonElement message)
    {
        var content = Property(message, "content");
        if (content.ValueKind == JsonValueKind.Array)
        {
            var text = new StringBuilder();
            foreach (var part in content.EnumerateArray())
            {
                text.Append(String(part, "text"));
            }

            return text.ToString();
        }

        return content.ValueKind == JsonValueKind.String ? content.GetString() : String(message, "refusal");
    }

    private static void ToolUse(JsonElement call, Utf8JsonWriter writer)
    {
        var function = Property(call, "function");
        writer.WriteStartObject();
        writer.WriteString("type", "tool_use");
        writer.WriteString("id", MessagesIds.ToolUse(String(call, "id")));
        writer.WriteString("name", String(function, "name") ?? "");
        writer.WritePropertyName("input");
        var arguments = Property(function, "arguments");
        if (arguments.ValueKind == JsonValueKind.Object)
        {
            arguments.WriteTo(writer);
        }
        else if (arguments.ValueKind == JsonValueKind.String && ParsedObject(arguments.GetString()!) is { } input)
        {
            using (input)
            {
                input.RootElement.WriteTo(writer);
            }
        }
        else
        {
            // Arguments that are not a JSON object (a model that stopped mid-call, at max_tokens) cannot be an input:
            // the call is kept with {} rather than failing the whole answer, as LiteLLM does.
            writer.WriteStartObject();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static JsonDocument? ParsedObject(string json)
    {
        try
        {
            var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
        }
        catch (JsonException)
        {
            // not JSON: {} below
        }

        return null;
    }
}
