using System.Net.Sockets;

namespace LlmGate.Testing;

/// <summary>One request a <see cref="RawUpstream"/> received: the connection to answer on and the request's number (from 1, over all connections).</summary>
public sealed record RawExchange(Stream Stream, Socket Socket, int Number, CancellationToken Stopping);
