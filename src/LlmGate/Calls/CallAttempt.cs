using System.Diagnostics;

namespace LlmGate.Calls;

/// <summary>
/// One try of a call at one deployment: written by the request's own thread, read by observers (a hang sweep reads
/// <see cref="CallContext.CurrentAttempt"/> from its timer thread, so the fields it reads never change after creation).
/// </summary>
internal sealed class CallAttempt(int number, string modelGroup, string deploymentId, string provider, long startTimestamp, string? upstreamModel = null)
{
    /// <summary>0 for the first attempt of the call, counting retries and fallbacks.</summary>
    public int Number { get; } = number;

    /// <summary>The group this attempt was made in: the requested one, or a fallback.</summary>
    public string ModelGroup { get; } = modelGroup;

    public string DeploymentId { get; } = deploymentId;

    public string Provider { get; } = provider;

    /// <summary>The model name sent upstream (a wildcard deployment's is the client's); what the call is priced by.</summary>
    public string? UpstreamModel { get; } = upstreamModel;

    public long StartTimestamp { get; } = startTimestamp;

    /// <summary>When the response headers arrived; null until they have.</summary>
    public long? FirstByteTimestamp { get; internal set; }

    /// <summary>When the first chunk of the answer's body arrived (a stream's first token); null until it has.</summary>
    public long? FirstChunkTimestamp { get; internal set; }

    public long? EndTimestamp { get; internal set; }

    /// <summary>The provider's <c>x-ratelimit-remaining-requests</c> on its answer, when it sent one.</summary>
    public long? RemainingRequests { get; set; }

    /// <summary>The provider's <c>x-ratelimit-remaining-tokens</c> on its answer, when it sent one.</summary>
    public long? RemainingTokens { get; set; }

    /// <summary>The status the upstream answered (or the gateway's own for a timeout or connection failure); 0 until known.</summary>
    public int Status { get; internal set; }

    /// <summary>Why the attempt failed; null when it succeeded or has not ended.</summary>
    public FailureKind? Error { get; internal set; }

    public bool HasEnded => EndTimestamp is not null;

    /// <summary>The attempt's span, when tracing is on and sampled it; the tracing observer's slot, null otherwise.</summary>
    public Activity? Span { get; set; }
}
