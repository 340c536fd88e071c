using LlmGate.Calls;

namespace LlmGate.Pricing;

/// <summary>What a call cost in USD, and the most a request can cost (for budget reservations).</summary>
internal static class CostCalculator
{
    /// <summary>
    /// The output tokens assumed by <see cref="MaxCost"/> when neither the request nor the price table bounds them:
    /// 4096, the usual output cap of the models that publish none.
    /// </summary>
    public const long DefaultMaxOutputTokens = 4096;

    /// <summary>
    /// Uncached prompt tokens at the input price, cached ones at <c>cache_read_input_token_cost</c> (else the input
    /// price), completion tokens at the output price, plus <see cref="UnitCost"/>. Cache writes are not in <see cref="TokenUsage"/>: they cost the input price.
    /// </summary>
    public static double Cost(ModelPrice price, TokenUsage usage)
    {
        ArgumentNullException.ThrowIfNull(price);
        ArgumentNullException.ThrowIfNull(usage);
        var prompt = Math.Max(0, usage.PromptTokens);
        var cached = Math.Clamp(usage.CachedPromptTokens, 0, prompt);
        return ((prompt - cached) * price.InputCostPerToken)
            + (cached * (price.CacheReadInputTokenCost ?? price.InputCostPerToken))
            + (Math.Max(0, usage.CompletionTokens) * price.OutputCostPerToken)
            + UnitCost(price, usage);
    }

    /// <summary>The media endpoints' units: images, pixels, characters spoken, rerank search units, seconds of audio transcribed; 0 for every other call.</summary>
    public static double UnitCost(ModelPrice price, TokenUsage usage)
    {
        ArgumentNullException.ThrowIfNull(price);
        ArgumentNullException.ThrowIfNull(usage);
        return (Math.Max(0, usage.Images) * price.CostPerImage)
            + (Math.Max(0, usage.Pixels) * price.CostPerPixel)
            + (Math.Max(0, usage.Characters) * price.InputCostPerCharacter)
            + (Math.Max(0, usage.SearchUnits) * price.InputCostPerQuery)
            + (Math.Max(0, usage.AudioSeconds) * price.CostPerSecond);
    }

    /// <summary>
    /// The most a request can cost: every prompt token at the higher of the input and cache-write prices (Anthropic's
    /// cache writes cost more than input), and <paramref name="maxOutputTokens"/> (the request's <c>max_tokens</c> /
    /// <c>max_completion_tokens</c>), else the model's <see cref="ModelPrice.MaxOutputTokens"/>, else
    /// <see cref="DefaultMaxOutputTokens"/> output tokens.
    /// </summary>
    public static double MaxCost(ModelPrice price, long promptTokens, long? maxOutputTokens)
    {
        ArgumentNullException.ThrowIfNull(price);
        var inputPrice = Math.Max(price.InputCostPerToken, price.CacheCreationInputTokenCost ?? 0);
        var output = maxOutputTokens is > 0 ? maxOutputTokens.Value : price.MaxOutputTokens ?? DefaultMaxOutputTokens;
        return (Math.Max(0, promptTokens) * inputPrice) + (output * price.OutputCostPerToken);
    }
}
