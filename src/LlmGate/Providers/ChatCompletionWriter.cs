using System.Buffers;
using System.Text.Json;
using LlmGate.OpenAi;

namespace LlmGate.Providers;

/// <summary>Writes a translated answer as OpenAI's <c>chat.completion</c> body.</summary>
internal static class ChatCompletionWriter
{
    /// <summary>
    /// An answer of one choice (the providers that have no <c>n</c>). Its content is the text, or null when the answer
    /// is only tool calls, as OpenAI sends it.
    /// </summary>
    public static byte[] Write(
        string id, string model, long created, string text, string? reasoning, IReadOnlyList<ChatToolCall> toolCalls, string finishReason, ChatUsage usage, int sizeHint) =>
        Write(id, model, created, [new ChatChoice(0, text.Length > 0 || toolCalls.Count == 0 ? text : null, string.IsNullOrEmpty(reasoning) ? null : reasoning, toolCalls, finishReason)],
            usage, sizeHint + 256);

    public static byte[] Write(string id, string model, long created, IEnumerable<ChatChoice> choices, ChatUsage usage, int sizeHint)
    {
        var buffer = new ArrayBufferWriter<byte>(sizeHint);
        using (var writer = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("object", "chat.completion");
            writer.WriteNumber("created", created);
            writer.WriteString("model", model);
            writer.WriteStartArray("choices");
            foreach (var choice in choices)
            {
                WriteChoice(writer, choice);
            }

            writer.WriteEndArray();
            usage.Write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteChoice(Utf8JsonWriter writer, ChatChoice choice)
    {
        writer.WriteStartObject();
        writer.WriteNumber("index", choice.Index);
        writer.WriteStartObject("message");
        writer.WriteString("role", "assistant");
        writer.WriteString("content", choice.Content);
        if (choice.Reasoning is not null)
        {
            writer.WriteString("reasoning_content", choice.Reasoning);
        }

        if (choice.ToolCalls.Count > 0)
        {
            writer.WriteStartArray("tool_calls");
            foreach (var call in choice.ToolCalls)
            {
                writer.WriteStartObject();
                writer.WriteString("id", call.Id);
                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", call.Name);
                writer.WriteString("arguments", call.Arguments);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteString("finish_reason", choice.FinishReason);
        writer.WriteEndObject();
    }
}
