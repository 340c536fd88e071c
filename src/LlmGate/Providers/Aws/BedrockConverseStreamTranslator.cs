using System.Buffers;
using System.Text.Json;
using LlmGate.Calls;

namespace LlmGate.Providers.Aws;

/// <summary>
/// Turns the events of Bedrock's ConverseStream (read by <see cref="AwsEventStreams.ReadAsync"/>) into OpenAI
/// <c>chat.completion.chunk</c> events: <c>messageStart</c> the role, <c>contentBlockStart</c> a tool call's id and name,
/// <c>contentBlockDelta</c> text, reasoning and tool arguments, <c>messageStop</c> the finish reason. Bedrock sends
/// <c>metadata</c> (the usage) after <c>messageStop</c>, always last: the stream is finished, with the usage chunk and
/// <c>[DONE]</c>, once both have come. An exception frame ends it with an OpenAI error event. One instance per stream.
/// </summary>
/// <param name="jsonMode">The request was translated in JSON mode: the forced tool's arguments stream as the content.</param>
internal sealed class BedrockConverseStreamTranslator(string model, long created, bool includeUsage, bool jsonMode) : IStreamTranslator
{
    // A content block that is JSON mode's answer: its tool input streams as content.
    private const int JsonAnswer = -1;

    private readonly ChatChunkWriter _chunks = new(ProviderJson.NewId("chatcmpl-"), model, created);

    // Per toolUse content block: its tool call's index, or JsonAnswer.
    private readonly Dictionary<int, int> _toolIndexByBlock = [];

    // Tool calls whose arguments have been written: one whose block ends without any (a tool that takes no parameters)
    // is given "{}", as a plain answer has it, since SDKs JSON-parse the joined argument deltas.
    private readonly HashSet<int> _blocksWithArguments = [];
    private int _toolCalls;
    private bool _started;
    private bool _stopped;
    private ChatUsage? _usage;

    public bool Finished { get; private set; }

    /// <summary>Set when the stream carried an exception (already written to the client as an error event).</summary>
    public string? ErrorMessage { get; private set; }

    /// <summary>From <c>metadata</c>; null before it came.</summary>
    public TokenUsage? Usage => _usage?.ToTokenUsage();

    public void Translate(UpstreamEvent upstreamEvent, IBufferWriter<byte> output)
    {
        if (Finished)
        {
            return;
        }

        if (BedrockErrors.IsStreamError(upstreamEvent))
        {
            ErrorMessage = BedrockErrors.WriteStreamError(upstreamEvent, output);
            Finished = true;
            return;
        }

        using var document = JsonDocument.Parse(upstreamEvent.Data);
        var root = document.RootElement;
        switch (upstreamEvent.Type)
        {
            case "messageStart":
                Start(output);
                break;
            case "contentBlockStart":
                BlockStart(root, output);
                break;
            case "contentBlockDelta":
                BlockDelta(root, output);
                break;
            case "contentBlockStop":
                BlockStop(root, output);
                break;
            case "messageStop":
                Start(output);
                var finishReason = BedrockStopReasons.ToOpenAi(ProviderJson.String(root, "stopReason"), _toolCalls > 0);
                _chunks.WriteDelta(output, 0, _ => { }, finishReason);
                _stopped = true;
                End(output);
                break;
            case "metadata":
                _usage = BedrockUsage.From(ProviderJson.Property(root, "usage"));
                End(output);
                break;
            // Event types added later carry nothing a chunk needs.
        }
    }

    // OpenAI's first chunk names the role; a stream that skips messageStart still gets it.
    private void Start(IBufferWriter<byte> output)
    {
        if (!_started)
        {
            _started = true;
            WriteChunk(output, writer =>
            {
                writer.WriteString("role", "assistant");
                writer.WriteString("content", "");
            });
        }
    }

    private void BlockStart(JsonElement root, IBufferWriter<byte> output)
    {
        Start(output);
        if (ProviderJson.Property(ProviderJson.Property(root, "start"), "toolUse") is not { ValueKind: JsonValueKind.Object } toolUse
            || ProviderJson.Property(root, "contentBlockIndex") is not { ValueKind: JsonValueKind.Number } block)
        {
            return;
        }

        if (BedrockConverseResponseTranslator.IsJsonAnswer(toolUse, jsonMode))
        {
            _toolIndexByBlock[block.GetInt32()] = JsonAnswer;
            return;
        }

        var toolIndex = _toolCalls++;
        _toolIndexByBlock[block.GetInt32()] = toolIndex;
        var id = ProviderJson.String(toolUse, "toolUseId");
        var name = ProviderJson.String(toolUse, "name");
        WriteChunk(output, writer => ChatChunkWriter.WriteToolCall(writer, toolIndex, id, name, ""));
    }

    private void BlockDelta(JsonElement root, IBufferWriter<byte> output)
    {
        Start(output);
        var delta = ProviderJson.Property(root, "delta");
        if (ProviderJson.String(delta, "text") is { Length: > 0 } text)
        {
            WriteChunk(output, writer => writer.WriteString("content", text));
        }
        else if (ProviderJson.String(ProviderJson.Property(delta, "reasoningContent"), "text") is { Length: > 0 } thought)
        {
            WriteChunk(output, writer => writer.WriteString("reasoning_content", thought));
        }
        else if (ProviderJson.String(ProviderJson.Property(delta, "toolUse"), "input") is { Length: > 0 } input
            && ProviderJson.Property(root, "contentBlockIndex") is { ValueKind: JsonValueKind.Number } block
            && _toolIndexByBlock.TryGetValue(block.GetInt32(), out var toolIndex))
        {
            if (toolIndex == JsonAnswer)
            {
                WriteChunk(output, writer => writer.WriteString("content", input));
            }
            else
            {
                _blocksWithArguments.Add(block.GetInt32());
                WriteChunk(output, writer => ChatChunkWriter.WriteToolCall(writer, toolIndex, null, null, input));
            }
        }

        // A reasoning block's signature, and delta kinds added later, have no OpenAI field.
    }

    private void BlockStop(JsonElement root, IBufferWriter<byte> output)
    {
        if (ProviderJson.Property(root, "contentBlockIndex") is { ValueKind: JsonValueKind.Number } block
            && _toolIndexByBlock.TryGetValue(block.GetInt32(), out var toolIndex) && toolIndex != JsonAnswer
            && _blocksWithArguments.Add(block.GetInt32()))
        {
            WriteChunk(output, writer => ChatChunkWriter.WriteToolCall(writer, toolIndex, null, null, "{}"));
        }
    }

    private void End(IBufferWriter<byte> output)
    {
        if (!_stopped || _usage is not { } usage)
        {
            return;
        }

        if (includeUsage)
        {
            _chunks.WriteUsage(output, usage);
        }

        ChatChunkWriter.WriteDone(output);
        Finished = true;
    }

    private void WriteChunk(IBufferWriter<byte> output, Action<Utf8JsonWriter> delta) => _chunks.WriteDelta(output, 0, delta);
}
