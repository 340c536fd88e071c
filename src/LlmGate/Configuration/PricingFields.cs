using YamlDotNet.RepresentationModel;

namespace LlmGate.Configuration;

/// <summary>The price keys of one deployment's <c>model_info</c> or <c>litellm_params</c>, as they are read.</summary>
internal sealed class PricingFields
{
    public double? InputCostPerToken { get; private set; }

    public double? OutputCostPerToken { get; private set; }

    public double? CacheReadInputTokenCost { get; private set; }

    public double? CacheCreationInputTokenCost { get; private set; }

    public double? InputCostPerImage { get; private set; }

    public double? OutputCostPerImage { get; private set; }

    public double? InputCostPerPixel { get; private set; }

    public double? InputCostPerCharacter { get; private set; }

    public double? InputCostPerQuery { get; private set; }

    public double? InputCostPerSecond { get; private set; }

    public double? OutputCostPerSecond { get; private set; }

    public string? BaseModel { get; private set; }

    public long? MaxInputTokens { get; private set; }

    public long? MaxOutputTokens { get; private set; }

    public long? MaxTokens { get; private set; }

    /// <summary>Reads <paramref name="key"/> when it is a cost (per token, image, pixel, character, rerank query or second of audio); false for any other key.</summary>
    public bool TryReadCost(ConfigReader reader, string key, YamlNode value, string path)
    {
        switch (key)
        {
            case "input_cost_per_token":
                InputCostPerToken = ReadCost(reader, value, path);
                return true;
            case "output_cost_per_token":
                OutputCostPerToken = ReadCost(reader, value, path);
                return true;
            case "cache_read_input_token_cost":
                CacheReadInputTokenCost = ReadCost(reader, value, path);
                return true;
            case "cache_creation_input_token_cost":
                CacheCreationInputTokenCost = ReadCost(reader, value, path);
                return true;
            case "input_cost_per_image":
                InputCostPerImage = ReadCost(reader, value, path);
                return true;
            case "output_cost_per_image":
                OutputCostPerImage = ReadCost(reader, value, path);
                return true;
            case "input_cost_per_pixel":
                InputCostPerPixel = ReadCost(reader, value, path);
                return true;
            case "input_cost_per_character":
                InputCostPerCharacter = ReadCost(reader, value, path);
                return true;
            case "input_cost_per_query":
                InputCostPerQuery = ReadCost(reader, value, path);
                return true;
            case "input_cost_per_second":
                InputCostPerSecond = ReadCost(reader, value, path);
                return true;
            case "output_cost_per_second":
                OutputCostPerSecond = ReadCost(reader, value, path);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Reads a cost, <c>base_model</c> or a token limit of <c>model_info</c>; false for any other key.</summary>
    public bool TryReadModelInfo(ConfigReader reader, string key, YamlNode value, string path)
    {
        switch (key)
        {
            case "base_model":
                BaseModel = reader.ReadString(value, path)?.Trim();
                if (BaseModel is { Length: 0 })
                {
                    reader.Error(path, value, "must not be empty");
                    BaseModel = null;
                }

                return true;
            case "max_input_tokens":
                MaxInputTokens = reader.ReadInt(value, path, 1);
                return true;
            case "max_output_tokens":
                MaxOutputTokens = reader.ReadInt(value, path, 1);
                return true;
            case "max_tokens":
                MaxTokens = reader.ReadInt(value, path, 1);
                return true;
            default:
                return TryReadCost(reader, key, value, path);
        }
    }

    /// <summary>The deployment's pricing: <paramref name="info"/> (model_info) wins over <paramref name="litellmParams"/> per key.</summary>
    public static DeploymentPricing Merge(PricingFields info, PricingFields litellmParams)
    {
        var pricing = new DeploymentPricing
        {
            InputCostPerToken = info.InputCostPerToken ?? litellmParams.InputCostPerToken,
            OutputCostPerToken = info.OutputCostPerToken ?? litellmParams.OutputCostPerToken,
            CacheReadInputTokenCost = info.CacheReadInputTokenCost ?? litellmParams.CacheReadInputTokenCost,
            CacheCreationInputTokenCost = info.CacheCreationInputTokenCost ?? litellmParams.CacheCreationInputTokenCost,
            CostPerImage = Sum(info.InputCostPerImage ?? litellmParams.InputCostPerImage, info.OutputCostPerImage ?? litellmParams.OutputCostPerImage),
            CostPerPixel = info.InputCostPerPixel ?? litellmParams.InputCostPerPixel,
            InputCostPerCharacter = info.InputCostPerCharacter ?? litellmParams.InputCostPerCharacter,
            InputCostPerQuery = info.InputCostPerQuery ?? litellmParams.InputCostPerQuery,
            CostPerSecond = PerSecond(info.OutputCostPerSecond ?? litellmParams.OutputCostPerSecond, info.InputCostPerSecond ?? litellmParams.InputCostPerSecond),
            BaseModel = info.BaseModel,
            MaxInputTokens = info.MaxInputTokens,
            MaxOutputTokens = info.MaxOutputTokens ?? info.MaxTokens,
        };
        return pricing == DeploymentPricing.None ? DeploymentPricing.None : pricing;
    }

    /// <summary>LiteLLM's <c>cost_per_second</c>: the output price when there is one, else the input price (never both).</summary>
    public static double? PerSecond(double? output, double? input) => output ?? input;

    private static double? Sum(double? a, double? b) => a is null ? b : b is null ? a : a + b;

    // Real configs quote prices ("0.000002"); ReadNumber takes both and reports a non-number with its line.
    private static double? ReadCost(ConfigReader reader, YamlNode value, string path)
    {
        const string Requirement = "a cost in USD, a number >= 0";
        var number = reader.ReadNumber(value, path, Requirement);
        if (number is { } cost && cost < 0)
        {
            reader.Error(path, value, $"must be {Requirement}");
            return null;
        }

        return number is { } n ? (double)n : null;
    }
}
