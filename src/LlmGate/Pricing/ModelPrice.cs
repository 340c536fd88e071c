namespace LlmGate.Pricing;

/// <summary>
/// A model's price per token in USD and its token limits, in the fields of LiteLLM's
/// <c>model_prices_and_context_window.json</c>.
/// </summary>
internal sealed record ModelPrice
{
    public double InputCostPerToken { get; init; }

    public double OutputCostPerToken { get; init; }

    /// <summary><c>cache_read_input_token_cost</c>; null means cached prompt tokens cost the input price.</summary>
    public double? CacheReadInputTokenCost { get; init; }

    /// <summary><c>cache_creation_input_token_cost</c>; null means the input price.</summary>
    public double? CacheCreationInputTokenCost { get; init; }

    /// <summary><c>max_input_tokens</c>, when known.</summary>
    public long? MaxInputTokens { get; init; }

    /// <summary><c>max_output_tokens</c> (else the legacy <c>max_tokens</c>), when known.</summary>
    public long? MaxOutputTokens { get; init; }

    /// <summary>Both prices explicitly 0: LiteLLM skips budget checks for such "free" models.</summary>
    public bool IsFree => InputCostPerToken == 0 && OutputCostPerToken == 0;
}
