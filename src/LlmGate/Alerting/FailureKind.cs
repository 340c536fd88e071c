namespace LlmGate.Alerting;

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
}
