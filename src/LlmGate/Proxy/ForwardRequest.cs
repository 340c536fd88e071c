using LlmGate.Routing;

namespace LlmGate.Proxy;

/// <summary>A routed call, ready to send: the endpoint, the chosen deployment and the body it receives.</summary>
internal sealed record ForwardRequest(ProxyEndpointKind Kind, string ModelGroup, Deployment Deployment, ReadOnlyMemory<byte> Body, bool Stream);
