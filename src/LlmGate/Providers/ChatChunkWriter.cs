using System.Buffers;
using System.Text.Json;
using LlmGate.OpenAi;

namespace LlmGate.Providers;

/// <summary>
/// Writes the OpenAI <c>chat.completion.chunk</c> events of one translated stream (<c>data: {...}\n\n</c>), all with
/// the same id, model and creation time, as OpenAI streams them.
/// </summary>
internal sealed class ChatChunkWriter(string id, string model, long created)
{
    /// <summary>The stream's id; a provider that names its message in its first event sets it before the first chunk.</summary>
    public string Id { get; set; } = id;

    public string Model { get; set; } = model;

    /// <summary>One choice's delta, and its finish reason on the choice's last chunk.</summary>
    public void WriteDelta(IBufferWriter<byte> output, int choice, Action<Utf8JsonWriter> delta, string? finishReason = null) =>
        WriteEvent(output, writer =>
        {
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", choice);
            writer.WriteStartObject("delta");
            delta(writer);
            writer.WriteEndObject();
            if (finishReason is null)
            {
                writer.WriteNull("finish_reason");
            }
            else
            {
                writer.WriteString("finish_reason", finishReason);
            }

            writer.WriteEndObject();
            writer.WriteEndArray();
        });

    /// <summary>A choice's first chunk, as OpenAI streams it: the role, and empty content.</summary>
    public void WriteRole(IBufferWriter<byte> output, int choice) =>
        WriteDelta(output, choice, writer =>
        {
            writer.WriteString("role", "assistant");
            writer.WriteString("content", "");
        });

    /// <summary>With <c>stream_options.include_usage</c>, OpenAI sends usage in a last chunk whose choices are empty.</summary>
    public void WriteUsage(IBufferWriter<byte> output, ChatUsage usage) =>
        WriteEvent(output, writer =>
        {
            writer.WriteStartArray("choices");
            writer.WriteEndArray();
            usage.Write(writer);
        });

    public static void WriteDone(IBufferWriter<byte> output) => output.Write("data: [DONE]\n\n"u8);

    /// <summary>An error the provider reported mid-stream, as OpenAI's error object in an event (no <c>[DONE]</c> follows).</summary>
    public static void WriteError(IBufferWriter<byte> output, int status, string message, string type)
    {
        output.Write("data: "u8);
        output.Write(OpenAiError.Serialize(status, message, type, null));
        output.Write("\n\n"u8);
    }

    /// <summary>
    /// A <c>tool_calls</c> delta. OpenAI streams a tool call as: first its id, type and name, then argument fragments
    /// by index (<paramref name="id"/> and <paramref name="name"/> null).
    /// </summary>
    public static void WriteToolCall(Utf8JsonWriter writer, int index, string? id, string? name, string arguments)
    {
        writer.WriteStartArray("tool_calls");
        writer.WriteStartObject();
        writer.WriteNumber("index", index);
        if (id is not null)
        {
            writer.WriteString("id", id);
            writer.WriteString("type", "function");
        }

        writer.WriteStartObject("function");
        if (name is not null)
        {
            writer.WriteString("name", name);
        }

        writer.WriteString("arguments", arguments);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    private void WriteEvent(IBufferWriter<byte> output, Action<Utf8JsonWriter> body)
    {
        output.Write("data: "u8);
        using (var writer = new Utf8JsonWriter(output, GatewayJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id", Id);
            writer.WriteString("object", "chat.completion.chunk");
            writer.WriteNumber("created", created);
            writer.WriteString("model", Model);
            body(writer);
            writer.WriteEndObject();
        }

        output.Write("\n\n"u8);
    }
}
