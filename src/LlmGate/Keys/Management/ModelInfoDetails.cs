namespace LlmGate.Keys;

/// <summary><c>model_info</c> of one deployment: its id and the prices and limits <c>IModelPrices</c> knows.</summary>
internal sealed record ModelInfoDetails
{
    public required string Id { get; init; }

    public double? InputCostPerToken { get; init; }

    public double? OutputCostPerToken { get; init; }

    public double? CacheReadInputTokenCost { get; init; }

    public double? CacheCreationInputTokenCost { get; init; }

    public long? MaxTokens { get; init; }

    public long? MaxInputTokens { get; init; }

    public long? MaxOutputTokens { get; init; }
}
