using System.Buffers;
using System.Text.Json;
using LlmGate.Calls;

namespace LlmGate.Providers.Google;

/// <summary>
/// Turns the events of Gemini's <c>streamGenerateContent?alt=sse</c> (read by <see cref="UpstreamEventStreams.ReadSseAsync"/>;
/// each a whole <c>GenerateContentResponse</c> holding only the new parts, with no end marker) into OpenAI
/// <c>chat.completion.chunk</c> events. The stream is over once every candidate seen has a <c>finishReason</c>, the
/// prompt was blocked, or an error came. One instance per stream.
/// </summary>
internal sealed class GeminiStreamTranslator(string model, long created, bool includeUsage) : IStreamTranslator
{
    private readonly ChatChunkWriter _chunks = new("", model, created);

    // Per candidate index: how many tool calls its choice has streamed (its presence: the role chunk was written).
    private readonly Dictionary<int, int> _toolCalls = [];
    private readonly HashSet<int> _finished = [];
    private ChatUsage? _usage;

    public bool Finished { get; private set; }

    /// <summary>Set when the stream carried an <c>error</c> (already written to the client as an error event).</summary>
    public string? ErrorMessage { get; private set; }

    /// <summary>From the latest <c>usageMetadata</c>: Gemini's counts are cumulative on every event.</summary>
    public TokenUsage? Usage => _usage?.ToTokenUsage();

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
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("A Gemini stream event must be a GenerateContentResponse object.");
        }

        if (ProviderJson.Property(root, "error").ValueKind == JsonValueKind.Object)
        {
            Error(data, ProviderJson.Property(root, "error"), output);
            return;
        }

        // Every event repeats the responseId; the first one names the whole stream.
        if (_chunks.Id.Length == 0)
        {
            _chunks.Id = GeminiResponseTranslator.CompletionId(root);
        }

        if (ProviderJson.Property(root, "usageMetadata") is { ValueKind: JsonValueKind.Object } usageMetadata)
        {
            _usage = GeminiUsage.From(usageMetadata);
        }

        if (ProviderJson.String(ProviderJson.Property(root, "promptFeedback"), "blockReason") is not null)
        {
            // A blocked prompt gets no candidates: one choice, ended by the content filter.
            Start(0, output);
            _chunks.WriteDelta(output, 0, _ => { }, "content_filter");
            End(output);
            return;
        }

        if (ProviderJson.Property(root, "candidates") is { ValueKind: JsonValueKind.Array } candidates)
        {
            var position = 0;
            foreach (var candidate in candidates.EnumerateArray())
            {
                var index = ProviderJson.Property(candidate, "index") is { ValueKind: JsonValueKind.Number } i && i.TryGetInt32(out var number) ? number : position;
                position++;
                if (!_finished.Contains(index))
                {
                    Candidate(index, candidate, output);
                }
            }
        }

        if (_toolCalls.Count > 0 && _finished.Count == _toolCalls.Count)
        {
            End(output);
        }
    }

    private void Candidate(int index, JsonElement candidate, IBufferWriter<byte> output)
    {
        Start(index, output);
        foreach (var part in GeminiResponseTranslator.Parts(candidate))
        {
            if (ProviderJson.Property(part, "functionCall") is { ValueKind: JsonValueKind.Object } call)
            {
                // Gemini sends a call whole, so one delta carries its id, name and all its arguments.
                var toolIndex = _toolCalls[index]++;
                var id = GeminiResponseTranslator.ToolCallId(part);
                var name = ProviderJson.String(call, "name");
                var arguments = GeminiResponseTranslator.Arguments(call);
                _chunks.WriteDelta(output, index, writer => ChatChunkWriter.WriteToolCall(writer, toolIndex, id, name, arguments));
            }
            else if (ProviderJson.String(part, "text") is { Length: > 0 } text)
            {
                var field = GeminiResponseTranslator.IsThought(part) ? "reasoning_content" : "content";
                _chunks.WriteDelta(output, index, writer => writer.WriteString(field, text));
            }
        }

        if (ProviderJson.String(candidate, "finishReason") is { } finishReason)
        {
            _finished.Add(index);
            _chunks.WriteDelta(output, index, _ => { }, GeminiFinishReasons.ToOpenAi(finishReason, _toolCalls[index] > 0));
        }
    }

    // OpenAI's first chunk of a choice names the role.
    private void Start(int index, IBufferWriter<byte> output)
    {
        if (_toolCalls.TryAdd(index, 0))
        {
            _chunks.WriteRole(output, index);
        }
    }

    private void End(IBufferWriter<byte> output)
    {
        if (includeUsage)
        {
            _chunks.WriteUsage(output, _usage ?? default);
        }

        ChatChunkWriter.WriteDone(output);
        Finished = true;
    }

    private void Error(ReadOnlySpan<byte> data, JsonElement error, IBufferWriter<byte> output)
    {
        // A stream's error names its HTTP code in the body (the response itself was 200).
        var code = ProviderJson.Number(error, "code") is >= 400 and < 600 and var number ? (int)number : 500;
        var parsed = GoogleErrors.Parse(data, code);
        ErrorMessage = parsed.Message;
        ChatChunkWriter.WriteError(output, parsed.Status ?? code, parsed.Message, parsed.Type ?? ErrorTypes.ForStatus(code));
        Finished = true;
    }
}
