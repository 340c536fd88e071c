using System.Buffers;
using System.Text.Json;
using LlmGate.OpenAi;
using static LlmGate.Providers.ProviderJson;

namespace LlmGate.Providers.Messages;

/// <summary>
/// Turns an OpenAI chat stream (<c>data: {chunk}</c> events, <c>data: [DONE]</c>) into Anthropic's Messages stream:
/// <c>message_start</c>, per content block <c>content_block_start</c>/<c>_delta</c>/<c>_stop</c>, then
/// <c>message_delta</c> (stop reason, usage) and <c>message_stop</c>. Events are written as their chunks arrive, fed in
/// reads split anywhere. One instance per stream. The reverse of <see cref="AnthropicStreamTranslator"/>.
/// </summary>
internal sealed class MessagesStreamTranslator(string model)
{
    private const int NoBlock = -1;

    private readonly SseLines _lines = new();
    private readonly Dictionary<int, int> _blockByToolIndex = [];
    private Utf8JsonWriter? _writer;
    private bool _started;
    private int _openBlock = NoBlock;
    private BlockKind _openKind;
    private int _blocks;
    private string? _finishReason;
    private AnthropicUsage? _usage;

    private enum BlockKind
    {
        Text,
        Thinking,
        ToolUse,
    }

    /// <summary>The Anthropic sequence is closed (<c>message_stop</c> or an <c>error</c> event); later input is ignored.</summary>
    public bool Finished { get; private set; }

    public void Feed(ReadOnlySpan<byte> openAiSse, IBufferWriter<byte> output)
    {
        _lines.Append(openAiSse);
        while (!Finished && _lines.TryReadEvent(out var data))
        {
            Dispatch(data, output);
        }
    }

    /// <summary>
    /// The OpenAI stream ended, with or without <c>[DONE]</c>: closes the Anthropic sequence if it is still open (an
    /// event left without its blank line is read first). After an error event, writes nothing.
    /// </summary>
    public void Complete(IBufferWriter<byte> output)
    {
        if (!Finished && _lines.TryReadLast(out var data))
        {
            Dispatch(data, output);
        }

        if (!Finished)
        {
            Close(output);
        }
    }

    private void Dispatch(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        if (data.SequenceEqual("[DONE]"u8))
        {
            Close(output);
            return;
        }

        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(data);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return; // not a chunk (a keep-alive some servers send as data): nothing to translate
        }

        using (document)
        {
            var chunk = document.RootElement;
            if (Property(chunk, "error") is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) } error)
            {
                Error(error, output);
                return;
            }

            Chunk(chunk, output);
        }
    }

    private void Chunk(JsonElement chunk, IBufferWriter<byte> output)
    {
        var usage = Property(chunk, "usage");
        if (usage.ValueKind == JsonValueKind.Object)
        {
            _usage = AnthropicUsage.FromOpenAi(usage);
        }

        if (!_started)
        {
            Start(String(chunk, "id"), output);
        }

        var choices = Property(chunk, "choices");
        if (choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
        {
            var choice = choices[0];
            Delta(Property(choice, "delta"), output);
            if (String(choice, "finish_reason") is { } finishReason)
            {
                _finishReason = finishReason;
                CloseBlock(output);
            }
        }

        // With include_usage, usage comes in a chunk of its own after the finish reason (some servers put it in the
        // finish chunk); message_delta carries it, so it waits for that chunk, or the end of the stream.
        if (_finishReason is not null && usage.ValueKind == JsonValueKind.Object)
        {
            Close(output);
        }
    }

    private void Start(string? id, IBufferWriter<byte> output)
    {
        _started = true;
        var writer = Event(output, "message_start"u8);
        writer.WriteStartObject("message");
        writer.WriteString("id", MessagesIds.Message(id));
        writer.WriteString("type", "message");
        writer.WriteString("role", "assistant");
        writer.WriteString("model", model);
        writer.WriteStartArray("content");
        writer.WriteEndArray();
        writer.WriteNull("stop_reason");
        writer.WriteNull("stop_sequence");
        (_usage ?? default).Write(writer);
        writer.WriteEndObject();
        EndEvent(output);
    }

    private void Delta(JsonElement delta, IBufferWriter<byte> output)
    {
        if (MessagesAnswerTranslator.Reasoning(delta) is { Length: > 0 } reasoning)
        {
            Open(BlockKind.Thinking, output);
            BlockDelta(output, "thinking_delta", "thinking", reasoning);
        }

        if (String(delta, "content") is { Length: > 0 } text)
        {
            Open(BlockKind.Text, output);
            BlockDelta(output, "text_delta", "text", text);
        }

        if (Property(delta, "tool_calls") is { ValueKind: JsonValueKind.Array } toolCalls)
        {
            foreach (var call in toolCalls.EnumerateArray())
            {
                ToolCall(call, output);
            }
        }
    }

    // A tool call's first fragment has its id and name and opens its block; later fragments carry arguments by index.
    private void ToolCall(JsonElement call, IBufferWriter<byte> output)
    {
        var index = Property(call, "index") is { ValueKind: JsonValueKind.Number } i && i.TryGetInt32(out var n) ? n : _blockByToolIndex.Count;
        var function = Property(call, "function");
        if (!_blockByToolIndex.TryGetValue(index, out var block))
        {
            CloseBlock(output);
            block = _blocks++;
            _blockByToolIndex[index] = block;
            _openBlock = block;
            _openKind = BlockKind.ToolUse;
            var writer = Event(output, "content_block_start"u8);
            writer.WriteNumber("index", block);
            writer.WriteStartObject("content_block");
            writer.WriteString("type", "tool_use");
            writer.WriteString("id", MessagesIds.ToolUse(String(call, "id")));
            writer.WriteString("name", String(function, "name") ?? "");
            writer.WriteStartObject("input");
            writer.WriteEndObject();
            writer.WriteEndObject();
            EndEvent(output);
        }

        // OpenAI streams one call after another; a fragment for an earlier call (never seen in practice) is still
        // delivered to its block's index, where Anthropic's SDKs gather it.
        if (String(function, "arguments") is { Length: > 0 } arguments)
        {
            var writer = Event(output, "content_block_delta"u8);
            writer.WriteNumber("index", block);
            writer.WriteStartObject("delta");
            writer.WriteString("type", "input_json_delta");
            writer.WriteString("partial_json", arguments);
            writer.WriteEndObject();
            EndEvent(output);
        }
    }

    private void Open(BlockKind kind, IBufferWriter<byte> output)
    {
        if (_openBlock != NoBlock && _openKind == kind)
        {
            return;
        }

        CloseBlock(output);
        _openBlock = _blocks++;
        _openKind = kind;
        var writer = Event(output, "content_block_start"u8);
        writer.WriteNumber("index", _openBlock);
        writer.WriteStartObject("content_block");
        if (kind == BlockKind.Text)
        {
            writer.WriteString("type", "text");
            writer.WriteString("text", "");
        }
        else
        {
            writer.WriteString("type", "thinking");
            writer.WriteString("thinking", "");
            writer.WriteString("signature", "");
        }

        writer.WriteEndObject();
        EndEvent(output);
    }

    private void BlockDelta(IBufferWriter<byte> output, string type, string field, string value)
    {
        var writer = Event(output, "content_block_delta"u8);
        writer.WriteNumber("index", _openBlock);
        writer.WriteStartObject("delta");
        writer.WriteString("type", type);
        writer.WriteString(field, value);
        writer.WriteEndObject();
        EndEvent(output);
    }

    private void CloseBlock(IBufferWriter<byte> output)
    {
        if (_openBlock == NoBlock)
        {
            return;
        }

        var writer = Event(output, "content_block_stop"u8);
        writer.WriteNumber("index", _openBlock);
        EndEvent(output);
        _openBlock = NoBlock;
    }

    // The end of the message: whatever block is open, the stop reason and usage, message_stop.
    private void Close(IBufferWriter<byte> output)
    {
        if (!_started)
        {
            Start(null, output);
        }

        CloseBlock(output);
        var writer = Event(output, "message_delta"u8);
        writer.WriteStartObject("delta");
        writer.WriteString("stop_reason", MessagesAnswerTranslator.StopReason(_finishReason, _blockByToolIndex.Count > 0));
        writer.WriteNull("stop_sequence");
        writer.WriteEndObject();

        // Anthropic's message_start has the input tokens; here they are known only now, so they come with the output.
        (_usage ?? default).Write(writer);
        EndEvent(output);
        Event(output, "message_stop"u8);
        EndEvent(output);
        Finished = true;
    }

    private void Error(JsonElement error, IBufferWriter<byte> output)
    {
        output.Write("event: error\ndata: "u8);
        var writer = Writer(output);
        AnthropicErrorBody.Write(writer, MessagesErrors.TypeFor(MessagesErrors.StatusOf(error)), MessagesErrors.MessageOf(error) ?? "The model's stream ended with an error.");
        writer.Flush();
        output.Write("\n\n"u8);
        Finished = true;
    }

    // "event: <type>\ndata: {"type":"<type>", then the caller's fields, then EndEvent.
    private Utf8JsonWriter Event(IBufferWriter<byte> output, ReadOnlySpan<byte> type)
    {
        output.Write("event: "u8);
        output.Write(type);
        output.Write("\ndata: "u8);
        var writer = Writer(output);
        writer.WriteStartObject();
        writer.WriteString("type"u8, type);
        return writer;
    }

    private void EndEvent(IBufferWriter<byte> output)
    {
        _writer!.WriteEndObject();
        _writer.Flush();
        output.Write("\n\n"u8);
    }

    // One writer for the stream, pointed at each event's output in turn.
    private Utf8JsonWriter Writer(IBufferWriter<byte> output)
    {
        if (_writer is null)
        {
            _writer = new Utf8JsonWriter(output, GatewayJson.WriterOptions);
        }
        else
        {
            _writer.Reset(output);
        }

        return _writer;
    }
}
