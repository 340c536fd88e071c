using LlmGate.Calls;

namespace LlmGate.Alerting;

/// <summary>
/// Alerting's view of one call in flight: since when it has been waiting, and whether its one hang was counted
/// (by the sweep or by its own late progress, whichever sees it first).
/// </summary>
internal sealed class InFlightRequest(CallContext call, long startTimestamp)
{
    private int _hangCounted;

    public CallContext Call { get; } = call;

    /// <summary>When the first attempt started: time spent reading the client's body is not the upstream's.</summary>
    public long StartTimestamp { get; } = startTimestamp;

    /// <summary>
    /// Since when the call has been waiting: a stream waits for its next chunk since the last progress; any other call
    /// waits for its answer since it started (response headers alone are not the answer).
    /// </summary>
    public long WaitingSince => Call.Stream ? Math.Max(Call.LastProgressTimestamp, StartTimestamp) : StartTimestamp;

    /// <summary>Claims the one hang this call may count; false when it was already counted.</summary>
    public bool TryMarkHung() => Interlocked.Exchange(ref _hangCounted, 1) == 0;
}
