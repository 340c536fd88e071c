using System.Buffers;
using System.Text.Json;
using LlmGate.Calls;

namespace LlmGate.Providers.Cohere;

/// <summary>
/// Turns the events of Cohere's v2 chat stream (read by <see cref="UpstreamEventStreams.ReadSseAsync"/>; each names its
/// <c>type</c>: <c>message-start</c>, <c>content-delta</c>, <c>tool-call-start</c>, …, <c>message-end</c>) into OpenAI
/// <c>chat.completion.chunk</c> events. <c>message-end</c> ends the stream (an error in it, as an error event); citations
/// and a trailing <c>[DONE]</c> carry nothing a chunk needs. One instance per stream.
/// </summary>
internal sealed class CohereStreamTranslator(string model, long created, bool includeUsage) : IStreamTranslator
{
    private readonly ChatChunkWriter _chunks = new(ProviderJson.NewId("chatcmpl-"), model, created);

    // Cohere's tool call index → OpenAI's, in the order the calls started.
    private readonly Dictionary<int, int> _toolIndex = [];
    private bool _started;
    private ChatUsage? _usage;

    public bool Finished { get; private set; }

    /// <summary>Set when <c>message-end</c> carried an error (already written to the client as an error event).</summary>
    public string? ErrorMessage { get; private set; }

    public TokenUsage? Usage => _usage?.ToTokenUsage();

    public void Translate(UpstreamEvent upstreamEvent, IBufferWriter<byte> output)
    {
        if (!Finished && !upstreamEvent.Data.Span.SequenceEqual("[DONE]"u8))
        {
            Dispatch(upstreamEvent, output);
        }
    }

    private void Dispatch(UpstreamEvent upstreamEvent, IBufferWriter<byte> output)
    {
        using var document = JsonDocument.Parse(upstreamEvent.Data.ToArray());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("A Cohere stream event must be an object.");
        }

        var message = ProviderJson.Property(ProviderJson.Property(root, "delta"), "message");
        switch (ProviderJson.String(root, "type") ?? upstreamEvent.Type)
        {
            case "message-start":
                // The stream's id names every chunk; it comes before the first.
                if (!_started && ProviderJson.String(root, "id") is { Length: > 0 })
                {
                    _chunks.Id = CohereResponseTranslator.CompletionId(root);
                }

                Start(output);
                break;
            case "content-start" or "content-delta":
                var content = ProviderJson.Property(message, "content");
                Text(output, "content", ProviderJson.String(content, "text"));
                Text(output, "reasoning_content", ProviderJson.String(content, "thinking"));
                break;
            case "tool-plan-delta":
                Text(output, "reasoning_content", ProviderJson.String(message, "tool_plan"));
                break;
            case "tool-call-start":
                ToolCallStart(Index(root), ProviderJson.Property(message, "tool_calls"), output);
                break;
            case "tool-call-delta":
                if (_toolIndex.TryGetValue(Index(root), out var toolIndex)
                    && ProviderJson.String(ProviderJson.Property(ProviderJson.Property(message, "tool_calls"), "function"), "arguments") is { Length: > 0 } arguments)
                {
                    _chunks.WriteDelta(output, 0, writer => ChatChunkWriter.WriteToolCall(writer, toolIndex, null, null, arguments));
                }

                break;
            case "message-end":
                End(ProviderJson.Property(root, "delta"), output);
                break;
            // content-end, tool-call-end, citation-start, citation-end, debug and types added later: nothing for a chunk.
        }
    }

    private static int Index(JsonElement root) => (int)ProviderJson.Number(root, "index");

    // OpenAI's first chunk of a choice names the role.
    private void Start(IBufferWriter<byte> output)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        _chunks.WriteRole(output, 0);
    }

    private void Text(IBufferWriter<byte> output, string field, string? text)
    {
        if (text is { Length: > 0 })
        {
            Start(output);
            _chunks.WriteDelta(output, 0, writer => writer.WriteString(field, text));
        }
    }

    // Cohere starts a call with its id and name, and often its first arguments.
    private void ToolCallStart(int cohereIndex, JsonElement call, IBufferWriter<byte> output)
    {
        Start(output);
        var toolIndex = _toolIndex.Count;
        _toolIndex[cohereIndex] = toolIndex;
        var function = ProviderJson.Property(call, "function");
        var id = ProviderJson.String(call, "id") ?? ProviderJson.NewId("call_");
        var name = ProviderJson.String(function, "name");
        var arguments = ProviderJson.String(function, "arguments") ?? "";
        _chunks.WriteDelta(output, 0, writer => ChatChunkWriter.WriteToolCall(writer, toolIndex, id, name, arguments));
    }

    private void End(JsonElement delta, IBufferWriter<byte> output)
    {
        Finished = true;
        if (ProviderJson.Property(delta, "usage") is { ValueKind: JsonValueKind.Object } usage)
        {
            _usage = CohereUsage.From(usage);
        }

        // The generation failed after the stream began (HTTP 200 already sent): OpenAI's error event ends it.
        if (ProviderJson.String(delta, "error") is { Length: > 0 } error)
        {
            ErrorMessage = error;
            ChatChunkWriter.WriteError(output, 500, error, "api_error");
            return;
        }

        Start(output);
        _chunks.WriteDelta(output, 0, _ => { }, CohereFinishReasons.ToOpenAi(ProviderJson.String(delta, "finish_reason"), _toolIndex.Count > 0));
        if (includeUsage)
        {
            _chunks.WriteUsage(output, _usage ?? default);
        }

        ChatChunkWriter.WriteDone(output);
    }
}
