using LlmGate.Calls;

namespace LlmGate.Alerting.Conditions;

/// <summary>Which failures each condition counts.</summary>
internal static class ConditionFailures
{
    /// <summary>
    /// <c>llm_exceptions</c>: a real LLM API error — upstream 401, 403, 404, 408, 429 or 5xx, a timeout, a connection
    /// failure, or the gateway unable to serve (no deployment, a missing key) — never the client's own request errors
    /// (a refused or invalid request, upstream 400, 413, 422 and the other 4xx).
    /// </summary>
    public static bool IsLlmApiError(CallFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.Kind switch
        {
            FailureKind.Timeout or FailureKind.ConnectionFailure or FailureKind.Gateway => true,
            FailureKind.UpstreamError => failure.Status is 401 or 403 or 404 or 408 or 429 or >= 500,
            _ => false,
        };
    }

    /// <summary><c>outage_alerts</c>: an attempt that ended with 408 or 5xx from the upstream, a timeout or a connection failure.</summary>
    public static bool IsOutage(CallAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return attempt.Error switch
        {
            FailureKind.Timeout or FailureKind.ConnectionFailure => true,
            FailureKind.UpstreamError => attempt.Status is 408 or >= 500,
            _ => false,
        };
    }

    /// <summary>For the daily report: an attempt the deployment failed (not one the client or its key caused).</summary>
    public static bool IsDeploymentFailure(CallAttempt attempt) =>
        attempt.Error is { } error && error is not FailureKind.InvalidRequest and not FailureKind.Refused;
}
