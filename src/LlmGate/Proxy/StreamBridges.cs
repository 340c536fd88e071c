using System.Buffers;
using LlmGate.OpenAi;
using LlmGate.Providers.Messages;
using LlmGate.Providers.Responses;

namespace LlmGate.Proxy;

/// <summary>The stream translator of each bridged inbound API, behind <see cref="IStreamBridge"/>.</summary>
internal static class StreamBridges
{
    public static IStreamBridge For(ProxyEndpointKind api, string model) => api switch
    {
        ProxyEndpointKind.Messages => new Messages(new MessagesStreamTranslator(model)),
        ProxyEndpointKind.Responses => new Responses(new ResponsesStreamTranslator(model)),
        _ => throw new ArgumentOutOfRangeException(nameof(api), api, "Only the Messages and Responses APIs are bridged."),
    };

    private sealed class Messages(MessagesStreamTranslator translator) : IStreamBridge
    {
        public void Feed(ReadOnlySpan<byte> chatSse, IBufferWriter<byte> output) => translator.Feed(chatSse, output);

        public void Complete(IBufferWriter<byte> output) => translator.Complete(output);
    }

    private sealed class Responses(ResponsesStreamTranslator translator) : IStreamBridge
    {
        public void Feed(ReadOnlySpan<byte> chatSse, IBufferWriter<byte> output) => translator.Feed(chatSse, output);

        public void Complete(IBufferWriter<byte> output) => translator.Complete(output);
    }
}
