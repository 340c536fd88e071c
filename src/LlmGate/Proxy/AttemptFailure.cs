using LlmGate.Calls;
using LlmGate.Providers;

namespace LlmGate.Proxy;

/// <summary>
/// Why one attempt failed, in the words the client would get if it were the last: status, OpenAI error fields,
/// the upstream's Retry-After, and what the router may do next (retry, cool down, fall back).
/// </summary>
internal sealed record AttemptFailure(int Status, string Type, string Message, string? Param, FailureKind Kind)
{
    /// <summary>The upstream's Retry-After, as a duration from now.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The Retry-After header to pass on to the client when this failure is the last.</summary>
    public string? RetryAfterHeader { get; init; }

    public FallbackTrigger Fallback { get; init; } = FallbackTrigger.General;

    /// <summary>Whether the client's response had started (a stream's headers, any byte): then the failure ends the request, whatever it was.</summary>
    public bool AfterFirstByte { get; init; }

    /// <summary>Retried within the group: 408, 429, 5xx, timeouts and connection failures; never once a byte reached the client.</summary>
    public bool IsRetryable => !AfterFirstByte && (Kind is FailureKind.Timeout or FailureKind.ConnectionFailure
        || (Kind == FailureKind.UpstreamError && Status is 408 or 429 or >= 500));

    /// <summary>A 200 answer the provider's safety filter blocked: served as it is when no fallback takes over.</summary>
    public BlockedAnswer? BlockedAnswer { get; init; }

    /// <summary>The provider said it does not know the model the client asked for.</summary>
    public bool UnknownModel { get; init; }

    /// <summary>
    /// Counts towards a deployment's cooldown: 401, 404, 408, 429, 5xx, timeouts and connection failures. Never what the
    /// client caused (400, 413, 422, a 404 for a model the provider does not have): one client's typo must not take the
    /// deployment away from everyone else.
    /// </summary>
    public bool CountsForCooldown => Kind is FailureKind.Timeout or FailureKind.ConnectionFailure
        || (Kind == FailureKind.UpstreamError && !UnknownModel && Status is 401 or 404 or 408 or 429 or >= 500);

    /// <summary>A failure of the upstream (not the gateway's own: none available, a deployment that cannot be called).</summary>
    public bool IsUpstreamFailure => Kind != FailureKind.Gateway;

    /// <summary>The message as alerts and logs may tell it (<see cref="Secrets.PromptEcho"/>); null when it is <see cref="Message"/>.</summary>
    public string? ObservedMessage { get; init; }

    public CallFailure ToCallFailure() => new(Status, Type, ObservedMessage ?? Message, Kind);
}
