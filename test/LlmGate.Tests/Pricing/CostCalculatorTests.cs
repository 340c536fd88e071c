using LlmGate.Calls;
using LlmGate.Pricing;

namespace LlmGate.Tests.Pricing;

public sealed class CostCalculatorTests
{
    private static readonly ModelPrice Price = new() { InputCostPerToken = 2e-06, OutputCostPerToken = 8e-06 };

    [Fact]
    public void Cost_NoCachedTokens_PromptAtInputAndCompletionAtOutput()
    {
        Assert.Equal((1000 * 2e-06) + (500 * 8e-06), CostCalculator.Cost(Price, new TokenUsage(1000, 500)), 15);
    }

    [Fact]
    public void Cost_CachedTokens_AtTheCacheReadPrice()
    {
        var price = Price with { CacheReadInputTokenCost = 5e-07 };

        var cost = CostCalculator.Cost(price, new TokenUsage(1000, 500, CachedPromptTokens: 800));

        Assert.Equal((200 * 2e-06) + (800 * 5e-07) + (500 * 8e-06), cost, 15);
    }

    [Fact]
    public void Cost_CachedTokensWithoutCachePrice_AtTheInputPrice()
    {
        Assert.Equal(CostCalculator.Cost(Price, new TokenUsage(1000, 500)), CostCalculator.Cost(Price, new TokenUsage(1000, 500, 800)), 15);
    }

    [Fact]
    public void Cost_MoreCachedThanPromptTokens_CountsNoNegativeTokens()
    {
        var price = Price with { CacheReadInputTokenCost = 5e-07 };

        Assert.Equal(100 * 5e-07, CostCalculator.Cost(price, new TokenUsage(100, 0, 900)), 15);
    }

    [Fact]
    public void MaxCost_RequestMaxTokens_BoundsTheOutput()
    {
        Assert.Equal((1000 * 2e-06) + (300 * 8e-06), CostCalculator.MaxCost(Price with { MaxOutputTokens = 16384 }, 1000, 300), 15);
    }

    [Fact]
    public void MaxCost_NoRequestMaxTokens_UsesTheModelsMaxOutputTokens()
    {
        Assert.Equal((1000 * 2e-06) + (16384 * 8e-06), CostCalculator.MaxCost(Price with { MaxOutputTokens = 16384 }, 1000, null), 15);
    }

    [Fact]
    public void MaxCost_NeitherBound_Assumes4096OutputTokens()
    {
        Assert.Equal((1000 * 2e-06) + (4096 * 8e-06), CostCalculator.MaxCost(Price, 1000, null), 15);
    }

    [Fact]
    public void MaxCost_CacheWritesDearerThanInput_PromptAtTheCacheWritePrice()
    {
        var price = Price with { CacheCreationInputTokenCost = 2.5e-06, CacheReadInputTokenCost = 2e-07 };

        Assert.Equal((1000 * 2.5e-06) + (10 * 8e-06), CostCalculator.MaxCost(price, 1000, 10), 15);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(4001, 2001)]
    public void FromUtf8Bytes_HalfTheBytesRoundedUp(int bytes, long tokens)
    {
        Assert.Equal(tokens, PromptTokenEstimate.FromUtf8Bytes(bytes));
    }
}
