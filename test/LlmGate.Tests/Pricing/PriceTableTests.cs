using System.Text;
using LlmGate.Pricing;

namespace LlmGate.Tests.Pricing;

public sealed class PriceTableTests
{
    [Fact]
    public void Parse_LiteLlmEntries_ReadsPricesAndLimits()
    {
        var table = Parse("""
            {
              "sample_spec": {"input_cost_per_token": 0.0, "output_cost_per_token": 0.0, "max_tokens": "LEGACY parameter"},
              "_source": {"repository": "BerriAI/litellm"},
              "claude-x": {"input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05, "cache_read_input_token_cost": 3e-07,
                           "cache_creation_input_token_cost": 3.75e-06, "max_input_tokens": 200000, "max_output_tokens": 64000,
                           "max_tokens": 64000, "litellm_provider": "anthropic", "mode": "chat", "supports_vision": true},
              "legacy": {"input_cost_per_token": "0.000001", "output_cost_per_token": 2e-06, "max_tokens": 4096},
              "dall-e-x": {"output_cost_per_image": 0.04, "mode": "image_generation"},
              "whisper-x": {"input_cost_per_second": 0.0001, "mode": "audio_transcription"}
            }
            """);

        Assert.Equal(4, table.Count);
        Assert.Null(table.Find("sample_spec"));
        Assert.Null(table.Find("_source"));
        Assert.Equal(new ModelPrice { CostPerSecond = 0.0001 }, table.Find("whisper-x"));
        Assert.Equal(new ModelPrice { CostPerImage = 0.04 }, table.Find("dall-e-x"));
        Assert.Equal(
            new ModelPrice { InputCostPerToken = 3e-06, OutputCostPerToken = 1.5e-05, CacheReadInputTokenCost = 3e-07, CacheCreationInputTokenCost = 3.75e-06, MaxInputTokens = 200000, MaxOutputTokens = 64000 },
            table.Find("claude-x"));
        Assert.Equal(new ModelPrice { InputCostPerToken = 0.000001, OutputCostPerToken = 2e-06, MaxOutputTokens = 4096 }, table.Find("legacy"));
    }

    [Fact]
    public void Parse_MediaPrices_InputAndOutputSummedAndNotFree()
    {
        var table = Parse("""
            {
              "img": {"input_cost_per_image": 0.01, "output_cost_per_image": 0.03},
              "px": {"input_cost_per_pixel": 3.8e-08, "output_cost_per_pixel": 0.0},
              "tts": {"input_cost_per_character": 1.5e-05},
              "rr": {"input_cost_per_token": 0.0, "output_cost_per_token": 0.0, "input_cost_per_query": 0.002},
              "stt": {"input_cost_per_second": 0.0001, "output_cost_per_second": 0.0002},
              "stt-in": {"input_cost_per_second": 0.0003}
            }
            """);

        Assert.Equal(0.04, table.Find("img")!.CostPerImage, 12);
        Assert.Equal(3.8e-08, table.Find("px")!.CostPerPixel);
        Assert.Equal(1.5e-05, table.Find("tts")!.InputCostPerCharacter);
        Assert.Equal(0.002, table.Find("rr")!.InputCostPerQuery);
        // LiteLLM's cost_per_second: the output price when there is one, never input and output added.
        Assert.Equal((0.0002, 0.0003), (table.Find("stt")!.CostPerSecond, table.Find("stt-in")!.CostPerSecond));
        Assert.All(new[] { "img", "px", "tts", "rr", "stt" }, name => Assert.False(table.Find(name)!.IsFree, name));
    }

    [Fact]
    public void Parse_OnlyOutputCost_InputCostsZero()
    {
        var price = Parse("""{"m": {"output_cost_per_token": 2e-06}}""").Find("m")!;

        Assert.Equal((0, 2e-06), (price.InputCostPerToken, price.OutputCostPerToken));
        Assert.False(price.IsFree);
    }

    [Theory]
    [InlineData("""{"m": {"input_cost_per_token": -1e-06}}""", "'m'.input_cost_per_token must be a cost in USD")]
    [InlineData("""{"m": {"input_cost_per_query": -0.002}}""", "'m'.input_cost_per_query must be a cost in USD")]
    [InlineData("""{"m": {"input_cost_per_token": 1e-06, "output_cost_per_token": "cheap"}}""", "'m'.output_cost_per_token must be")]
    [InlineData("""{"m": {"input_cost_per_token": 1e-06, "cache_read_input_token_cost": true}}""", "'m'.cache_read_input_token_cost must be")]
    [InlineData("""{"sample_spec": {"input_cost_per_token": 0.0}, "_source": {}, "tts": {"mode": "audio_speech"}}""", "no model with input_cost_per_token or output_cost_per_token")]
    [InlineData("""{"m": {"output_cost_per_second": -1}}""", "'m'.output_cost_per_second must be a cost in USD")]
    [InlineData("""[1, 2]""", "expected an object of model name")]
    [InlineData("{\n  \"m\": {\"input_cost_per_token\": 1e-06,\n}", "not valid JSON (line 3)")]
    public void Parse_UnusableFile_ThrowsNamingTheFileAndTheProblem(string json, string expected)
    {
        var exception = Assert.Throws<PriceTableException>(() => Parse(json));

        Assert.StartsWith("prices.json: ", exception.Message, StringComparison.Ordinal);
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BuiltIn_HoldsLiteLlmsPricesAndSkipsTheSourceEntry()
    {
        var table = PriceTable.BuiltIn;

        Assert.True(table.Count > 300, $"{table.Count} models");
        Assert.Null(table.Find("_source"));
        // LiteLLM's numbers for gpt-4o and Claude Sonnet 4.5.
        Assert.Equal(new ModelPrice { InputCostPerToken = 2.5e-06, OutputCostPerToken = 1e-05, CacheReadInputTokenCost = 1.25e-06, MaxInputTokens = 128000, MaxOutputTokens = 16384 }, table.Find("gpt-4o"));
        Assert.Equal((3e-06, 1.5e-05, 3e-07, 3.75e-06), ValuesOf(table.Find("claude-sonnet-4-5")!));
    }

    private static (double, double, double?, double?) ValuesOf(ModelPrice p) => (p.InputCostPerToken, p.OutputCostPerToken, p.CacheReadInputTokenCost, p.CacheCreationInputTokenCost);

    internal static PriceTable Parse(string json) => PriceTable.Parse(Encoding.UTF8.GetBytes(json), "prices.json");
}
