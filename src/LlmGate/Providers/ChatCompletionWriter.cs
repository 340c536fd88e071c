using System.Buffers;
using System.Text.Json;
using LlmGate.OpenAi;

namespace LlmGate.Providers;

/// <summary>Writes a translated answer as OpenAI's <c>chat.completion</c>, and the message of each of its choices.</summary>
internal static class ChatCompletionWriter
{
    /// <summary>
    /// An answer of one choice (the providers that have no <c>n</c>). Its content is the text, or null when the answer
    /// is only tool calls, as OpenAI sends it.
    /// </summary>
    public static byte[] Write(
        string id, string model, long created, string text, string? reasoning, IReadOnlyList<ChatToolCall> toolCalls, string finishReason, ChatUsage usage, int sizeHint)
    {
        var buffer = new ArrayBufferWriter<byte>(sizeHint + 256);
        using (var writer = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("object", "chat.completion");
            writer.WriteNumber("created", created);
            writer.WriteString("model", model);
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            WriteMessage(writer, text.Length > 0 || toolCalls.Count == 0 ? text : null, reasoning, toolCalls);
            writer.WriteString("finish_reason", finishReason);
            writer.WriteEndObject();
            writer.WriteEndArray();
            usage.Write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A choice's <c>message</c>: the role, the content (null written as null), reasoning and tool calls when there are any.</summary>
    public static void WriteMessage(Utf8JsonWriter writer, string? content, string? reasoning, IReadOnlyList<ChatToolCall> toolCalls)
    {
        writer.WriteStartObject("message");
        writer.WriteString("role", "assistant");
        writer.WriteString("content", content);
        if (!string.IsNullOrEmpty(reasoning))
        {
            writer.WriteString("reasoning_content", reasoning);
        }

        if (toolCalls.Count > 0)
        {
            writer.WriteStartArray("tool_calls");
            foreach (var call in toolCalls)
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
    }
}
