namespace LlmGate.Keys;

/// <summary>The virtual key a request was authenticated with, kept on the request's features for the checks after routing.</summary>
internal sealed record KeyCaller(CachedKey Key);
