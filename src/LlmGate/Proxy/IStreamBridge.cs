using System.Buffers;

namespace LlmGate.Proxy;

/// <summary>Turns a chat-completions SSE stream, fed as it is written, into another API's stream events.</summary>
internal interface IStreamBridge
{
    void Feed(ReadOnlySpan<byte> chatSse, IBufferWriter<byte> output);

    /// <summary>The chat stream ended: whatever closes the other API's event sequence.</summary>
    void Complete(IBufferWriter<byte> output);
}
