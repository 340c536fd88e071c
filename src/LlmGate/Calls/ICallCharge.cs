namespace LlmGate.Calls;

/// <summary>
/// Something held against a call while it runs — a budget reservation, a rate-limit slot — and settled once when the
/// call ends, by the observer of the feature that took it. Settling is in memory: O(1), no I/O.
/// </summary>
internal interface ICallCharge
{
    /// <summary>The call ended; <see cref="CallContext.Cost"/> and <see cref="CallContext.Usage"/> hold what it used.</summary>
    void Settle(CallContext call);

    /// <summary>
    /// A plain (not streamed) answer is complete and about to be sent, with <see cref="CallContext.Usage"/> known: the
    /// headers to send with it (the call's cost, the key's spend after it). Streams send their headers before any usage.
    /// </summary>
    IEnumerable<KeyValuePair<string, string>> AnswerHeaders(CallContext call);
}
