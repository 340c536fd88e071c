namespace LlmGate.Keys;

/// <summary><c>GET /model/info</c>: <c>{"data": [...]}</c>, one entry per deployment of the current config.</summary>
internal sealed record ModelInfoResponse(IReadOnlyList<ModelInfoEntry> Data);
