using System.Buffers;
using System.Text.Json;
using LlmGate.Calls;

namespace LlmGate.Providers.Cloudflare;

/// <summary>
/// Turns Workers AI's stream (<c>data: {"response":"…","p":"…"}</c> events, a last one with <c>usage</c>, then
/// <c>data: [DONE]</c>) into OpenAI <c>chat.completion.chunk</c> events. Workers AI sends no finish reason, so the last
/// chunk is written at <c>[DONE]</c>. One instance per stream.
/// </summary>
internal sealed class CloudflareStreamTranslator(string model, long created, bool includeUsage) : IStreamTranslator
{
    private readonly ChatChunkWriter _chunks = new(ProviderJson.NewId("chatcmpl-"), model, created);
    private bool _started;
    private int _toolCalls;
    private string? _finishReason;
    private ChatUsage? _usage;

    public bool Finished { get; private set; }

    /// <summary>Set when an event carried Cloudflare's errors (already written to the client as an error event).</summary>
    public string? ErrorMessage { get; private set; }

    public TokenUsage? Usage => _usage?.ToTokenUsage();

    public void Translate(UpstreamEvent upstreamEvent, IBufferWriter<byte> output)
    {
        if (Finished)
        {
            return;
        }

        if (upstreamEvent.Data.Span.SequenceEqual("[DONE]"u8))
        {
            End(output);
            return;
        }

        using var document = JsonDocument.Parse(upstreamEvent.Data.ToArray());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("A Workers AI stream event must be an object.");
        }

        if (CloudflareErrors.Read(root) is var (code, message))
        {
            var (status, type, _) = CloudflareErrors.Map(code, 500, message);
            ErrorMessage = message;
            ChatChunkWriter.WriteError(output, status, message, type);
            Finished = true;
            return;
        }

        Start(output);
        if (CloudflareResponseTranslator.Response(root) is { Length: > 0 } text)
        {
            _chunks.WriteDelta(output, 0, writer => writer.WriteString("content", text));
        }

        foreach (var (id, name, arguments) in CloudflareResponseTranslator.ToolCalls(root))
        {
            // Workers AI sends a call whole: one delta carries its id, name and arguments.
            var index = _toolCalls++;
            _chunks.WriteDelta(output, 0, writer => ChatChunkWriter.WriteToolCall(writer, index, id, name, arguments));
        }

        _usage = CloudflareResponseTranslator.Usage(root) ?? _usage;
        _finishReason = ProviderJson.String(root, "finish_reason") ?? _finishReason;
    }

    // OpenAI's first chunk of a choice names the role.
    private void Start(IBufferWriter<byte> output)
    {
        if (!_started)
        {
            _started = true;
            _chunks.WriteRole(output, 0);
        }
    }

    private void End(IBufferWriter<byte> output)
    {
        Start(output);
        _chunks.WriteDelta(output, 0, _ => { }, CloudflareResponseTranslator.FinishReason(_finishReason, _toolCalls > 0));
        if (includeUsage)
        {
            _chunks.WriteUsage(output, _usage ?? default);
        }

        ChatChunkWriter.WriteDone(output);
        Finished = true;
    }
}
