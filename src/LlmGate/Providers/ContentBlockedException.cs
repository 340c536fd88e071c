namespace LlmGate.Providers;

/// <summary>
/// Thrown by <see cref="IProviderAdapter.RelayAsync"/> before it wrote anything: the provider answered 200 but its
/// safety filter blocked the prompt or the whole answer (Gemini's <c>promptFeedback.blockReason</c>, a <c>SAFETY</c>
/// finish with no content). Routing treats it as a content-policy refusal, so <c>content_policy_fallbacks</c> can take
/// over; with none, the client gets <see cref="Answer"/>, the provider's answer in OpenAI's shape
/// (<c>finish_reason: content_filter</c>), as LiteLLM serves it.
/// </summary>
internal sealed class ContentBlockedException : Exception
{
    public ContentBlockedException()
    {
    }

    public ContentBlockedException(string message)
        : base(message)
    {
    }

    public ContentBlockedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ContentBlockedException(string message, BlockedAnswer answer)
        : base(message)
    {
        Answer = answer;
    }

    /// <summary>What the client gets when no fallback takes over; null only for the parameterless constructors.</summary>
    public BlockedAnswer? Answer { get; }
}
