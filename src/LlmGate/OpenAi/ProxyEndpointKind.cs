namespace LlmGate.OpenAi;

internal enum ProxyEndpointKind
{
    ChatCompletions,
    Completions,
    Embeddings,

    /// <summary>
    /// Anthropic's Messages API (<c>/v1/messages</c>). Only adapters that speak it natively (<c>IMessagesApiAdapter</c>)
    /// ever see this kind; for every other deployment the attempt is bridged onto <see cref="ChatCompletions"/>.
    /// </summary>
    Messages,

    /// <summary>OpenAI's Responses API (<c>/v1/responses</c>): passed through to OpenAI and Azure deployments, bridged onto <see cref="ChatCompletions"/> for others.</summary>
    Responses,
}
