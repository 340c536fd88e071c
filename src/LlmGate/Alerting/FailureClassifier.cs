using LlmGate.Calls;

namespace LlmGate.Alerting;

/// <summary>Which failed client requests count towards the failure window.</summary>
internal static class FailureClassifier
{
    /// <summary>
    /// Every failure counts but a key's own refusals (budget, rate limit, model access), unless <paramref name="ignoreClientErrors"/>: then only what the client did not cause:
    /// 408, 429, 5xx, timeouts and connection failures.
    /// </summary>
    public static bool Counts(CallFailure failure, bool ignoreClientErrors)
    {
        if (failure.Kind == FailureKind.Refused)
        {
            return false; // a key over its budget or rate limit is working as configured
        }

        if (!ignoreClientErrors)
        {
            return true;
        }

        return failure.Kind is FailureKind.Timeout or FailureKind.ConnectionFailure
            || failure.Status is 408 or 429 or >= 500;
    }
}
