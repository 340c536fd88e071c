using LlmGate.Calls;

namespace LlmGate.Pricing;

/// <summary>What a call cost, and the most a request can cost (for budget reservations).</summary>
internal static class CostCalculator
{
    private const long DefaultMaxOutputTokens = 4096;

    public static double Cost(ModelPrice price, TokenUsage usage)
    {
        var cached = Math.Min(usage.CachedPromptTokens, usage.PromptTokens);
        return (usage.PromptTokens - cached) * price.InputCostPerToken
            + cached * (price.CacheReadInputTokenCost ?? price.InputCostPerToken)
            + usage.CompletionTokens * price.OutputCostPerToken;
    }

    public static double MaxCost(ModelPrice price, long promptTokens, long? maxOutputTokens) =>
        promptTokens * price.InputCostPerToken
        + (maxOutputTokens ?? price.MaxOutputTokens ?? DefaultMaxOutputTokens) * price.OutputCostPerToken;
}
