using System.Buffers;
using LlmGate.Calls;

namespace LlmGate.Providers;

/// <summary>Turns a provider's stream events into OpenAI <c>chat.completion.chunk</c> events. One instance per stream.</summary>
internal interface IStreamTranslator
{
    /// <summary>The stream ended properly (its last event, or an error event); nothing more is expected.</summary>
    bool Finished { get; }

    /// <summary>The message of the error event that ended the stream (already written to the client as one); null for a stream that did not end so.</summary>
    string? ErrorMessage { get; }

    /// <summary>The tokens the stream reported so far; null before the provider reported any.</summary>
    TokenUsage? Usage { get; }

    /// <summary>Writes the OpenAI events (<c>data: ...\n\n</c>) this provider event completes, if any.</summary>
    void Translate(UpstreamEvent upstreamEvent, IBufferWriter<byte> output);
}
