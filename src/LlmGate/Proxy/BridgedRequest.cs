using LlmGate.OpenAi;
using LlmGate.Providers;
using LlmGate.Providers.Messages;
using LlmGate.Providers.Responses;
using LlmGate.Routing;

namespace LlmGate.Proxy;

/// <summary>
/// A body of another inbound API (<c>/v1/messages</c>, <c>/v1/responses</c>) translated once into the chat-completions
/// body its bridged attempts send, with the summary the chat path reads. <see cref="For"/> throws
/// <see cref="ProviderRequestException"/> for a body the bridge cannot carry: the client's mistake, refused before routing.
/// </summary>
internal sealed record BridgedRequest(ReadOnlyMemory<byte> Body, RequestSummary Summary)
{
    public static BridgedRequest For(ProxyEndpointKind kind, ReadOnlySpan<byte> body)
    {
        var chat = kind switch
        {
            ProxyEndpointKind.Messages => MessagesRequestTranslator.ToChatCompletions(body),
            ProxyEndpointKind.Responses => ResponsesRequestTranslator.ToChatCompletions(body),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only the Messages and Responses APIs are bridged."),
        };
        return new BridgedRequest(chat, RequestBodyInspector.Inspect(chat, "messages"));
    }

    /// <summary>Whether a call of <paramref name="kind"/> to <paramref name="deployment"/> goes through the chat bridge.</summary>
    public static bool Needed(ProxyEndpointKind kind, Deployment deployment) => kind switch
    {
        ProxyEndpointKind.Messages => deployment.Endpoint.Adapter is not IMessagesApiAdapter,
        ProxyEndpointKind.Responses => !ResponsesApi.IsNative(deployment.Endpoint),
        _ => false,
    };
}
