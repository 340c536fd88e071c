namespace LlmGate.Proxy;

/// <summary>Which fallback list a failed attempt leads to, once the group's retries are spent.</summary>
internal enum FallbackTrigger
{
    /// <summary>The request itself is at fault (a 400, 413, 422...): the same request would fail anywhere.</summary>
    None,

    /// <summary>The deployment failed (401, 403, 404, 408, 429, 5xx, timeout, unreachable, none available): <c>fallbacks</c>.</summary>
    General,

    /// <summary>The prompt is longer than the model's context: <c>context_window_fallbacks</c>.</summary>
    ContextWindow,

    /// <summary>The provider's content filter refused it: <c>content_policy_fallbacks</c>.</summary>
    ContentPolicy,
}
