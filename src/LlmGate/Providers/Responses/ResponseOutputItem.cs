using System.Text;
using System.Text.Json;

namespace LlmGate.Providers.Responses;

/// <summary>
/// One item of a response's <c>output</c>, built whole (an answer) or piece by piece (a stream), and written in the
/// Responses API's shape at any point: empty and <c>in_progress</c> when a stream adds it, complete when it is done.
/// </summary>
internal sealed class ResponseOutputItem(ResponseItemKind kind, string id)
{
    public ResponseItemKind Kind { get; } = kind;

    public string Id { get; } = id;

    /// <summary>A message's text, or a reasoning item's summary text.</summary>
    public StringBuilder Text { get; } = new();

    public string? CallId { get; init; }

    public string? Name { get; init; }

    public StringBuilder Arguments { get; } = new();

    public string Status { get; set; } = "in_progress";

    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("id", Id);
        switch (Kind)
        {
            case ResponseItemKind.Reasoning:
                writer.WriteString("type", "reasoning");
                writer.WriteStartArray("summary");
                if (Status != "in_progress")
                {
                    WriteSummaryPart(writer, Text.ToString());
                }

                writer.WriteEndArray();
                break;
            case ResponseItemKind.Message:
                writer.WriteString("type", "message");
                writer.WriteString("status", Status);
                writer.WriteString("role", "assistant");
                writer.WriteStartArray("content");
                if (Status != "in_progress")
                {
                    WriteTextPart(writer, Text.ToString());
                }

                writer.WriteEndArray();
                break;
            case ResponseItemKind.FunctionCall:
                writer.WriteString("type", "function_call");
                writer.WriteString("status", Status);
                writer.WriteString("call_id", CallId);
                writer.WriteString("name", Name);
                writer.WriteString("arguments", Status == "in_progress" ? "" : Arguments.ToString());
                break;
        }

        writer.WriteEndObject();
    }

    public static void WriteTextPart(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "output_text");
        writer.WriteString("text", text);
        writer.WriteStartArray("annotations");
        writer.WriteEndArray();
        writer.WriteStartArray("logprobs");
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteSummaryPart(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "summary_text");
        writer.WriteString("text", text);
        writer.WriteEndObject();
    }
}
