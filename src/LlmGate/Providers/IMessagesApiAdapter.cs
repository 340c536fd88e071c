namespace LlmGate.Providers;

/// <summary>
/// An adapter whose provider speaks Anthropic's Messages API itself: a <c>/v1/messages</c> call passes through to it
/// (<see cref="OpenAi.ProxyEndpointKind.Messages"/>) as the client wrote it, streams included, instead of being bridged
/// onto chat completions and back.
/// </summary>
internal interface IMessagesApiAdapter : IProviderAdapter;
