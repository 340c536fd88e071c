namespace LlmGate.Alerting;

/// <summary>The two conditions LlmGate pages on, each with its own window, threshold and incident.</summary>
internal enum AlertKind
{
    /// <summary>Client requests that ended in an error (PagerDuty class <c>llm_api_failure</c>).</summary>
    Failure,

    /// <summary>Requests that waited past <c>hanging_threshold_seconds</c> (PagerDuty class <c>llm_request_hanging</c>).</summary>
    Hang,
}
