namespace LlmGate.OpenAi;

internal enum ProxyEndpointKind
{
    ChatCompletions,
    Completions,
    Embeddings,
}
