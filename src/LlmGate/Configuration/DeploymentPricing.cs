namespace LlmGate.Configuration;

/// <summary>
/// What a deployment says about its own price and limits: the cost keys of <c>model_info</c> or <c>litellm_params</c>
/// (both forms are in LiteLLM's docs; <c>model_info</c> wins per key) and <c>model_info.base_model</c> /
/// <c>max_tokens</c> / <c>max_input_tokens</c> / <c>max_output_tokens</c>. Never sent upstream.
/// </summary>
internal sealed record DeploymentPricing
{
    public static DeploymentPricing None { get; } = new();

    /// <summary><c>input_cost_per_token</c> in USD.</summary>
    public double? InputCostPerToken { get; init; }

    /// <summary><c>output_cost_per_token</c> in USD.</summary>
    public double? OutputCostPerToken { get; init; }

    /// <summary><c>cache_read_input_token_cost</c> in USD.</summary>
    public double? CacheReadInputTokenCost { get; init; }

    /// <summary><c>cache_creation_input_token_cost</c> in USD.</summary>
    public double? CacheCreationInputTokenCost { get; init; }

    /// <summary><c>input_cost_per_image</c> plus <c>output_cost_per_image</c> in USD.</summary>
    public double? CostPerImage { get; init; }

    /// <summary><c>input_cost_per_pixel</c> in USD.</summary>
    public double? CostPerPixel { get; init; }

    /// <summary><c>input_cost_per_character</c> in USD (speech).</summary>
    public double? InputCostPerCharacter { get; init; }

    /// <summary><c>input_cost_per_query</c> in USD (a rerank search unit).</summary>
    public double? InputCostPerQuery { get; init; }

    /// <summary><c>output_cost_per_second</c>, else <c>input_cost_per_second</c>, in USD (a second of transcribed audio).</summary>
    public double? CostPerSecond { get; init; }

    /// <summary><c>model_info.base_model</c>: the model whose price applies (Azure deployments named by their owner).</summary>
    public string? BaseModel { get; init; }

    /// <summary><c>model_info.max_input_tokens</c>.</summary>
    public long? MaxInputTokens { get; init; }

    /// <summary><c>model_info.max_output_tokens</c>, else the legacy <c>model_info.max_tokens</c>.</summary>
    public long? MaxOutputTokens { get; init; }

    /// <summary>The deployment sets a token price of its own (input or output).</summary>
    public bool HasOwnPrice => InputCostPerToken is not null || OutputCostPerToken is not null;

    /// <summary>The deployment sets a price per image, pixel, character, rerank query or second of its own.</summary>
    public bool HasOwnUnitPrice => CostPerImage is not null || CostPerPixel is not null || InputCostPerCharacter is not null || InputCostPerQuery is not null || CostPerSecond is not null;
}
