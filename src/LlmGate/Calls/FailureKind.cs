namespace LlmGate.Calls;

/// <summary>What kind of failure ended an attempt or a call.</summary>
internal enum FailureKind
{
    /// <summary>The upstream answered with an error status.</summary>
    UpstreamError,

    /// <summary>The upstream did not answer (or send the next chunk) in time.</summary>
    Timeout,

    /// <summary>The upstream could not be reached.</summary>
    ConnectionFailure,

    /// <summary>The gateway itself could not serve the request (no deployment, missing key, bad config).</summary>
    Gateway,

    /// <summary>The client's request was refused before it was routed (malformed body, unknown model, too large).</summary>
    InvalidRequest,

    /// <summary>
    /// The caller was refused by its own key's policy (model access, budget, rate limit): the client's business, never
    /// a failure of the gateway or a deployment, so it never counts towards an alert.
    /// </summary>
    Refused,
}
