namespace LlmGate.Pricing;

/// <summary>
/// A model's price per token in USD (and per image, pixel, character or rerank query for the media endpoints) and its token limits, in the fields of LiteLLM's
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

    /// <summary><c>input_cost_per_image</c> plus <c>output_cost_per_image</c>: the price of one generated image.</summary>
    public double CostPerImage { get; init; }

    /// <summary><c>input_cost_per_pixel</c> plus <c>output_cost_per_pixel</c>: the price of one generated pixel.</summary>
    public double CostPerPixel { get; init; }

    /// <summary><c>input_cost_per_character</c>: the price of one character spoken.</summary>
    public double InputCostPerCharacter { get; init; }

    /// <summary><c>input_cost_per_query</c>: the price of one rerank search unit.</summary>
    public double InputCostPerQuery { get; init; }

    /// <summary><c>output_cost_per_second</c>, else <c>input_cost_per_second</c>: the price of one second of transcribed audio.</summary>
    public double CostPerSecond { get; init; }

    /// <summary>Every price explicitly 0: LiteLLM skips budget checks for such "free" models.</summary>
    public bool IsFree => InputCostPerToken == 0 && OutputCostPerToken == 0 && !HasUnitPrice;

    /// <summary>Priced per image, pixel, character or search unit as well as (or instead of) per token.</summary>
    public bool HasUnitPrice => CostPerImage != 0 || CostPerPixel != 0 || InputCostPerCharacter != 0 || InputCostPerQuery != 0 || CostPerSecond != 0;
}
