namespace LlmGate.Proxy;

/// <summary>Why a routed call may not go ahead, as the client is told; <see cref="RetryAfterSeconds"/> for a rate limit.</summary>
internal sealed record AdmissionRefusal(int Status, string Message, string Type, string? Param = null, long? RetryAfterSeconds = null);
