namespace LlmGate.Calls;

/// <summary>Tokens a call used, as the provider reported them (OpenAI's <c>usage</c>).</summary>
internal sealed record TokenUsage(long PromptTokens, long CompletionTokens, long CachedPromptTokens = 0)
{
    public long TotalTokens => PromptTokens + CompletionTokens;

    /// <summary>Images an image generation made (its answer's <c>data</c> items), for <c>*_cost_per_image</c>.</summary>
    public long Images { get; init; }

    /// <summary>Pixels of those images (the request's <c>size</c> times their number), for <c>*_cost_per_pixel</c>.</summary>
    public long Pixels { get; init; }

    /// <summary>Characters of a speech call's <c>input</c>, for <c>input_cost_per_character</c>.</summary>
    public long Characters { get; init; }

    /// <summary>A rerank's search units (Cohere's <c>meta.billed_units.search_units</c>, else 1), for <c>input_cost_per_query</c>.</summary>
    public long SearchUnits { get; init; }

    /// <summary>Seconds of audio a transcription or translation heard (its answer's <c>usage.seconds</c> or <c>duration</c>), for <c>*_cost_per_second</c>.</summary>
    public double AudioSeconds { get; init; }
}
