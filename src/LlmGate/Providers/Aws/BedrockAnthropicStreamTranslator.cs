using System.Buffers;
using LlmGate.Calls;

namespace LlmGate.Providers.Aws;

/// <summary>
/// Claude's InvokeModelWithResponseStream (read by <see cref="AwsEventStreams.ReadAsync"/>): each <c>chunk</c> event's
/// Anthropic event goes to an <see cref="AnthropicStreamTranslator"/>; an exception frame (throttling mid-stream) ends
/// the stream with an OpenAI error event, as in ConverseStream. One instance per stream.
/// </summary>
internal sealed class BedrockAnthropicStreamTranslator(string model, long created, bool includeUsage) : IStreamTranslator
{
    private readonly AnthropicStreamTranslator _anthropic = new(model, created, includeUsage);
    private string? _exceptionMessage;

    public bool Finished => _exceptionMessage is not null || _anthropic.Finished;

    /// <summary>Set when the stream carried an exception or Anthropic's <c>error</c> event (already written to the client).</summary>
    public string? ErrorMessage => _exceptionMessage ?? _anthropic.ErrorMessage;

    public TokenUsage? Usage => _anthropic.Usage;

    public void Translate(UpstreamEvent upstreamEvent, IBufferWriter<byte> output)
    {
        if (Finished)
        {
            return;
        }

        if (BedrockErrors.IsStreamError(upstreamEvent))
        {
            _exceptionMessage = BedrockErrors.WriteStreamError(upstreamEvent, output);
        }
        else if (upstreamEvent.Type == "chunk")
        {
            _anthropic.Translate(BedrockAnthropicInvoke.Unwrap(upstreamEvent.Data), output);
        }
    }
}
