namespace LlmGate.Proxy;

internal enum ProxyEndpointKind
{
    ChatCompletions,
    Completions,
    Embeddings,
}
