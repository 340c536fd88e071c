namespace LlmGate.Providers;

/// <summary>What an upstream error means for routing, as its provider's adapter reads the provider's own fields.</summary>
internal enum UpstreamErrorReason
{
    /// <summary>Nothing more specific than the status.</summary>
    Unclassified,

    /// <summary>The prompt is longer than the model's context: <c>context_window_fallbacks</c>.</summary>
    ContextWindowExceeded,

    /// <summary>The provider's content filter refused the request: <c>content_policy_fallbacks</c>.</summary>
    ContentPolicy,

    /// <summary>The provider does not know the model the client asked for: the client's mistake, not the deployment's health.</summary>
    UnknownModel,
}
