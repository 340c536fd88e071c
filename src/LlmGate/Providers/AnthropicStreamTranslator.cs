using System.Buffers;
using System.Text.Json;
using LlmGate.Calls;

namespace LlmGate.Providers;

/// <summary>
/// Turns the events of Anthropic's Messages stream (read by <see cref="UpstreamEventStreams.ReadSseAsync"/>) into OpenAI
/// <c>chat.completion.chunk</c> events. One instance per stream.
/// </summary>
internal sealed class AnthropicStreamTranslator(string fallbackModel, long created, bool includeUsage) : IStreamTranslator
{
    private readonly Dictionary<int, int> _toolIndexByBlock = [];

    // tool_use blocks whose arguments have been written: one that ends without any (a tool that takes no parameters)
    // is given "{}", as a plain answer has it, since SDKs JSON-parse the joined argument deltas.
    private readonly HashSet<int> _blocksWithArguments = [];
    private readonly ChatChunkWriter _chunks = new("chatcmpl-anthropic", fallbackModel, created);
    private AnthropicUsage _usage;
    private bool _usageReported;

    /// <summary>The stream ended properly (<c>message_stop</c>) or with an <c>error</c> event; nothing more is expected.</summary>
    public bool Finished { get; private set; }

    /// <summary>Set when the stream carried an <c>error</c> event (already written to the client as an error event).</summary>
    public string? ErrorMessage { get; private set; }

    public TokenUsage? Usage => _usageReported ? _usage.ToChatUsage().ToTokenUsage() : null;

    public void Translate(UpstreamEvent upstreamEvent, IBufferWriter<byte> output)
    {
        if (!Finished)
        {
            Dispatch(upstreamEvent.Data.Span, output);
        }
    }

    private void Dispatch(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        using var document = JsonDocument.Parse(data.ToArray());
        var root = document.RootElement;
        switch (String(root, "type"))
        {
            case "message_start":
                var message = root.GetProperty("message");
                _chunks.Id = String(message, "id") ?? _chunks.Id;
                _chunks.Model = String(message, "model") ?? _chunks.Model;
                _usage = AnthropicUsage.From(Property(message, "usage"));
                _usageReported = true;
                WriteChunk(output, writer =>
                {
                    writer.WriteString("role", "assistant");
                    writer.WriteString("content", "");
                });
                break;
            case "content_block_start":
                BlockStart(root.GetProperty("index").GetInt32(), Property(root, "content_block"), output);
                break;
            case "content_block_delta":
                BlockDelta(root.GetProperty("index").GetInt32(), Property(root, "delta"), output);
                break;
            case "content_block_stop":
                BlockStop(root.GetProperty("index").GetInt32(), output);
                break;
            case "message_delta":
                _usage = _usage.Merge(Property(root, "usage"));
                var finish = AnthropicStopReasons.ToFinishReason(String(Property(root, "delta"), "stop_reason"));
                WriteChunk(output, _ => { }, finish);
                break;
            case "message_stop":
                if (includeUsage)
                {
                    _chunks.WriteUsage(output, _usage.ToChatUsage());
                }

                ChatChunkWriter.WriteDone(output);
                Finished = true;
                break;
            case "error":
                var error = Property(root, "error");
                var type = String(error, "type");
                ErrorMessage = String(error, "message") ?? "The provider ended the stream with an error.";
                var (status, openAiType) = AnthropicErrors.Map(type, AnthropicErrors.StatusOf(type));
                ChatChunkWriter.WriteError(output, status, ErrorMessage, openAiType);
                Finished = true;
                break;
            // ping, and event types added later, carry nothing a chunk needs.
        }
    }

    private void BlockStart(int index, JsonElement block, IBufferWriter<byte> output)
    {
        switch (String(block, "type"))
        {
            case "text" when String(block, "text") is { Length: > 0 } text:
                WriteChunk(output, writer => writer.WriteString("content", text));
                break;
            case "tool_use":
                var toolIndex = _toolIndexByBlock.Count;
                _toolIndexByBlock[index] = toolIndex;
                // Streamed input starts as {} and arrives in deltas; an input given whole at the start is the arguments.
                var input = Property(block, "input");
                var arguments = input.ValueKind == JsonValueKind.Object && input.EnumerateObject().Any() ? input.GetRawText() : "";
                if (arguments.Length > 0)
                {
                    _blocksWithArguments.Add(index);
                }

                WriteChunk(output, writer => ChatChunkWriter.WriteToolCall(writer, toolIndex, String(block, "id"), String(block, "name"), arguments));
                break;
        }
    }

    private void BlockDelta(int index, JsonElement delta, IBufferWriter<byte> output)
    {
        switch (String(delta, "type"))
        {
            case "text_delta":
                var text = String(delta, "text") ?? "";
                WriteChunk(output, writer => writer.WriteString("content", text));
                break;
            case "thinking_delta":
                var thinking = String(delta, "thinking") ?? "";
                WriteChunk(output, writer => writer.WriteString("reasoning_content", thinking));
                break;
            case "input_json_delta" when _toolIndexByBlock.TryGetValue(index, out var toolIndex) && String(delta, "partial_json") is { Length: > 0 } json:
                _blocksWithArguments.Add(index);
                WriteChunk(output, writer => ChatChunkWriter.WriteToolCall(writer, toolIndex, null, null, json));
                break;
        }
    }

    private void BlockStop(int index, IBufferWriter<byte> output)
    {
        if (_toolIndexByBlock.TryGetValue(index, out var toolIndex) && _blocksWithArguments.Add(index))
        {
            WriteChunk(output, writer => ChatChunkWriter.WriteToolCall(writer, toolIndex, null, null, "{}"));
        }
    }

    private void WriteChunk(IBufferWriter<byte> output, Action<Utf8JsonWriter> delta, string? finishReason = null) =>
        _chunks.WriteDelta(output, 0, delta, finishReason);

    private static JsonElement Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
