using System.Buffers;
using System.Text;
using System.Text.Json;
using LlmGate.Calls;
using LlmGate.OpenAi;

namespace LlmGate.Providers.Cohere;

/// <summary>
/// Turns Cohere's v2 chat response (<c>{id, finish_reason, message{content, tool_plan, tool_calls}, usage}</c>) into an
/// OpenAI <c>chat.completion</c>: text parts as <c>content</c>, thinking parts and the tool plan as
/// <c>reasoning_content</c>, tool calls as they are, finish reason and usage.
/// </summary>
internal static class CohereResponseTranslator
{
    /// <param name="model">The model the client is told, as it asked for it.</param>
    /// <param name="usage">The answer's token counts, as the client's <c>usage</c> reports them.</param>
    /// <exception cref="JsonException">The body is not a Cohere chat response.</exception>
    public static byte[] Translate(ReadOnlySpan<byte> cohereBody, string model, long created, out TokenUsage usage)
    {
        using var document = JsonDocument.Parse(cohereBody.ToArray());
        var root = document.RootElement;
        var message = ProviderJson.Property(root, "message");
        if (message.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The body is not a Cohere chat response: it has no 'message'.");
        }

        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        if (ProviderJson.Property(message, "content") is { ValueKind: JsonValueKind.Array } content)
        {
            foreach (var part in content.EnumerateArray())
            {
                switch (ProviderJson.String(part, "type"))
                {
                    case "text":
                        text.Append(ProviderJson.String(part, "text"));
                        break;
                    case "thinking":
                        reasoning.Append(ProviderJson.String(part, "thinking"));
                        break;
                }
            }
        }

        // The plan Cohere writes before calling tools is its reasoning, not its answer.
        reasoning.Append(ProviderJson.String(message, "tool_plan"));
        var calls = ProviderJson.Property(message, "tool_calls") is { ValueKind: JsonValueKind.Array } list ? [.. list.EnumerateArray()] : new List<JsonElement>();
        var chatUsage = CohereUsage.From(ProviderJson.Property(root, "usage"));
        usage = chatUsage.ToTokenUsage();

        var buffer = new ArrayBufferWriter<byte>(cohereBody.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id", CompletionId(root));
            writer.WriteString("object", "chat.completion");
            writer.WriteNumber("created", created);
            writer.WriteString("model", model);
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WriteStartObject("message");
            writer.WriteString("role", "assistant");
            writer.WriteString("content", text.Length > 0 ? text.ToString() : null);
            if (reasoning.Length > 0)
            {
                writer.WriteString("reasoning_content", reasoning.ToString());
            }

            if (calls.Count > 0)
            {
                writer.WriteStartArray("tool_calls");
                foreach (var call in calls)
                {
                    var function = ProviderJson.Property(call, "function");
                    writer.WriteStartObject();
                    writer.WriteString("id", ProviderJson.String(call, "id") ?? ProviderJson.NewId("call_"));
                    writer.WriteString("type", "function");
                    writer.WriteStartObject("function");
                    writer.WriteString("name", ProviderJson.String(function, "name"));
                    writer.WriteString("arguments", Arguments(function));
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
            writer.WriteString("finish_reason", CohereFinishReasons.ToOpenAi(ProviderJson.String(root, "finish_reason"), calls.Count > 0));
            writer.WriteEndObject();
            writer.WriteEndArray();
            chatUsage.Write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>chatcmpl-</c> and Cohere's id, or a fresh id where Cohere gave none.</summary>
    public static string CompletionId(JsonElement response) =>
        ProviderJson.String(response, "id") is { Length: > 0 } id ? "chatcmpl-" + id : ProviderJson.NewId("chatcmpl-");

    /// <summary>A tool call's <c>arguments</c>: Cohere sends OpenAI's JSON string; an object is written compact, none is <c>{}</c>.</summary>
    public static string Arguments(JsonElement function) => ProviderJson.Property(function, "arguments") switch
    {
        { ValueKind: JsonValueKind.String } text => text.GetString()!,
        { ValueKind: JsonValueKind.Object } value => ProviderJson.Compact(value),
        _ => "{}",
    };
}
