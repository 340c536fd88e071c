using LlmGate.Providers;

namespace LlmGate.Proxy;

/// <summary>
/// Reads an upstream error for routing, from its status and the reason its provider's adapter gave it: context-window
/// and content-policy errors lead to their own fallbacks; other client errors lead nowhere.
/// </summary>
internal static class UpstreamErrorClassifier
{
    public static FallbackTrigger Classify(int status, UpstreamError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Reason switch
        {
            UpstreamErrorReason.ContextWindowExceeded when status is 400 or 413 or 422 => FallbackTrigger.ContextWindow,
            UpstreamErrorReason.ContentPolicy when status is 400 or 413 or 422 => FallbackTrigger.ContentPolicy,
            _ => status is 401 or 403 or 404 or 408 or 429 or >= 500 ? FallbackTrigger.General : FallbackTrigger.None,
        };
    }
}
