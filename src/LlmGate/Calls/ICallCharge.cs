namespace LlmGate.Calls;

/// <summary>
/// Something held against a call while it runs — a budget reservation, a rate-limit slot — and settled once when the
/// call ends, by the observer of the feature that took it. Settling is in memory: O(1), no I/O.
/// </summary>
internal interface ICallCharge
{
    /// <summary>The call ended; <see cref="CallContext.Cost"/> and <see cref="CallContext.Usage"/> hold what it used.</summary>
    void Settle(CallContext call);
}
