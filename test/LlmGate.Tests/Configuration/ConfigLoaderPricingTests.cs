using LlmGate.Configuration;

namespace LlmGate.Tests.Configuration;

public sealed class ConfigLoaderPricingTests
{
    [Fact]
    public void LoadText_CostsInModelInfo_ReadIntoPricing()
    {
        var d = Single("""
            model_list:
              - model_name: a
                litellm_params: {model: azure/my-deployment}
                model_info:
                  base_model: azure/gpt-4o
                  input_cost_per_token: 0.0000025
                  output_cost_per_token: "0.00001"
                  cache_read_input_token_cost: 1.25e-06
                  cache_creation_input_token_cost: 0.000003
                  max_input_tokens: 128000
                  max_output_tokens: 16384
            """);

        Assert.Equal(
            new DeploymentPricing
            {
                BaseModel = "azure/gpt-4o",
                InputCostPerToken = 0.0000025,
                OutputCostPerToken = 0.00001,
                CacheReadInputTokenCost = 1.25e-06,
                CacheCreationInputTokenCost = 0.000003,
                MaxInputTokens = 128000,
                MaxOutputTokens = 16384,
            },
            d.Pricing);
    }

    [Fact]
    public void LoadText_CostsInLitellmParams_ReadIntoPricingAndNeverSentUpstream()
    {
        var result = Load("""
            model_list:
              - model_name: a
                litellm_params:
                  model: openai/my-model
                  input_cost_per_token: 0.000001
                  output_cost_per_token: 0.000002
                  cache_read_input_token_cost: 0.0000001
                  cache_creation_input_token_cost: 0.0000015
                  temperature: 0.2
            """);

        var d = Assert.Single(result.Config!.Deployments);
        Assert.Equal((0.000001, 0.000002, 0.0000001, 0.0000015), (d.Pricing.InputCostPerToken, d.Pricing.OutputCostPerToken, d.Pricing.CacheReadInputTokenCost, d.Pricing.CacheCreationInputTokenCost));
        Assert.Equal("temperature", Assert.Single(d.RequestDefaults).Name);
        Assert.Empty(d.ProviderParams);
        Assert.DoesNotContain(result.Diagnostics, diagnostic => diagnostic.ToString().Contains("cost", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadText_CostsInBothPlaces_ModelInfoWinsPerKey()
    {
        var d = Single("""
            model_list:
              - model_name: a
                litellm_params: {model: openai/m, input_cost_per_token: 0.1, output_cost_per_token: 0.2}
                model_info: {input_cost_per_token: 0.3}
            """);

        Assert.Equal((0.3, 0.2), (d.Pricing.InputCostPerToken!.Value, d.Pricing.OutputCostPerToken!.Value));
    }

    [Fact]
    public void LoadText_LegacyMaxTokensInModelInfo_IsTheOutputLimitUnlessMaxOutputTokensIsSet()
    {
        var legacy = Single("model_list:\n  - model_name: a\n    litellm_params: {model: openai/m}\n    model_info: {max_tokens: 8192}\n");
        var both = Single("model_list:\n  - model_name: a\n    litellm_params: {model: openai/m}\n    model_info: {max_tokens: 8192, max_output_tokens: 4000}\n");

        Assert.Equal(8192, legacy.Pricing.MaxOutputTokens);
        Assert.Equal(4000, both.Pricing.MaxOutputTokens);
    }

    [Fact]
    public void LoadText_NoPriceKeys_PricingIsNone()
    {
        var d = Single("model_list:\n  - model_name: a\n    litellm_params: {model: openai/m, max_tokens: 100}\n    model_info: {id: x, mode: chat}\n");

        Assert.Same(DeploymentPricing.None, d.Pricing);
        Assert.Equal("max_tokens", Assert.Single(d.RequestDefaults).Name);
    }

    [Theory]
    [InlineData("litellm_params", "input_cost_per_token", "-0.000001")]
    [InlineData("litellm_params", "output_cost_per_token", "cheap")]
    [InlineData("model_info", "cache_read_input_token_cost", "-1")]
    [InlineData("model_info", "output_cost_per_token", "\"free\"")]
    [InlineData("model_info", "max_output_tokens", "-5")]
    [InlineData("model_info", "max_input_tokens", "lots")]
    public void LoadText_BadPriceValue_IsAnErrorAtPathAndLine(string section, string key, string value)
    {
        // Line 4 either way: the key is the first one under its section.
        var yaml = section == "litellm_params"
            ? $"model_list:\n  - model_name: a\n    litellm_params:\n      {key}: {value}\n      model: openai/m\n"
            : $"model_list:\n  - model_name: a\n    model_info:\n      {key}: {value}\n    litellm_params: {{model: openai/m}}\n";

        var error = Assert.Single(Load(yaml).Errors);

        Assert.Equal(($"model_list[0].{section}.{key}", 4), (error.Path, error.Line));
        Assert.StartsWith("must be ", error.Message, StringComparison.Ordinal);
    }

    private static DeploymentConfig Single(string yaml)
    {
        var result = Load(yaml);
        Assert.Empty(result.Errors);
        return Assert.Single(result.Config!.Deployments);
    }

    private static ConfigLoadResult Load(string yaml) => ConfigLoader.LoadText(yaml, "test.yaml", TestEnvironment.Empty);
}
