using LlmGate.OpenAi;
using LlmGate.Providers.Messages;

namespace LlmGate.Proxy;

/// <summary>
/// A <c>/v1/messages</c> body translated once into the chat-completions body its bridged attempts send, with the
/// summary the chat path reads. Throws <see cref="Providers.ProviderRequestException"/> for a body that is not a valid
/// Messages request: the client's mistake, refused before routing.
/// </summary>
internal sealed record MessagesBridgeRequest(ReadOnlyMemory<byte> Body, RequestSummary Summary)
{
    public static MessagesBridgeRequest From(ReadOnlySpan<byte> messagesBody)
    {
        var body = MessagesRequestTranslator.ToChatCompletions(messagesBody);
        return new MessagesBridgeRequest(body, RequestBodyInspector.Inspect(body, "messages"));
    }
}
