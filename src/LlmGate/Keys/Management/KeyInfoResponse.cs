namespace LlmGate.Keys;

/// <summary><c>GET /key/info</c>: <c>{key, info}</c>, with the hash as <c>key</c> (the plaintext is never shown again).</summary>
internal sealed record KeyInfoResponse(string Key, KeyView Info);
