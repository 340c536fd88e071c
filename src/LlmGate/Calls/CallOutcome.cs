namespace LlmGate.Calls;

/// <summary>How a call ended; <see cref="Pending"/> until it has.</summary>
internal enum CallOutcome
{
    Pending,

    /// <summary>The answer was delivered to the client.</summary>
    Completed,

    /// <summary>The client got an error (an error body, or an error event once a stream had begun).</summary>
    Failed,

    /// <summary>The client went away first: neither a success nor a failure.</summary>
    Cancelled,
}
