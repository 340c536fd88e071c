using LlmGate.Configuration;
using LlmGate.Pricing;

namespace LlmGate.Tests.Pricing;

public sealed class ModelPricesTests
{
    private static readonly PriceTable Table = PriceTableTests.Parse("""
        {
          "gpt-4o": {"input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05, "cache_read_input_token_cost": 1.25e-06, "max_output_tokens": 16384},
          "azure/gpt-4o": {"input_cost_per_token": 2.6e-06, "output_cost_per_token": 1.1e-05},
          "gemini/gemini-2.5-pro": {"input_cost_per_token": 1.25e-06, "output_cost_per_token": 1e-05},
          "gemini-2.5-pro": {"input_cost_per_token": 9e-06, "output_cost_per_token": 9e-06},
          "anthropic.claude-sonnet-4-6": {"input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05},
          "eu.anthropic.claude-sonnet-4-6": {"input_cost_per_token": 3.3e-06, "output_cost_per_token": 1.65e-05},
          "o3": {"input_cost_per_token": 2e-06, "output_cost_per_token": 8e-06}
        }
        """);

    private readonly ModelPrices _prices = new(Table);

    [Theory]
    [InlineData("gemini/gemini-2.5-pro", 1.25e-06)] // the full name first: Gemini's price, not Vertex AI's
    [InlineData("vertex_ai/gemini-2.5-pro", 9e-06)] // no full-name entry: without the provider prefix
    [InlineData("openai/gpt-4o", 2.5e-06)]
    [InlineData("azure/gpt-4o", 2.6e-06)]
    [InlineData("gpt-4o", 2.5e-06)]
    [InlineData("bedrock/us.anthropic.claude-sonnet-4-6", 3e-06)] // a cross-region profile without its own entry
    [InlineData("bedrock/eu.anthropic.claude-sonnet-4-6", 3.3e-06)] // one with its own entry
    [InlineData("bedrock/converse/us.anthropic.claude-sonnet-4-6", 3e-06)]
    [InlineData("azure/o_series/o3", 2e-06)]
    public void For_ModelName_FoundTheWayLiteLlmLooksItUp(string model, double inputCost)
    {
        Assert.Equal(inputCost, _prices.For(Deployment(model))?.InputCostPerToken);
    }

    [Theory]
    [InlineData("openai/*")]
    [InlineData("openai/my-local-model")]
    [InlineData("azure/prod-east")]
    public void For_NothingMatches_Null(string model)
    {
        Assert.Null(_prices.For(Deployment(model)));
    }

    [Fact]
    public void For_BaseModel_ReplacesTheDeploymentsModelName()
    {
        var deployment = Deployment("azure/prod-east") with { Pricing = new DeploymentPricing { BaseModel = "gpt-4o" } };

        Assert.Equal(2.5e-06, _prices.For(deployment)?.InputCostPerToken);
    }

    [Fact]
    public void For_OwnInputCostOnly_WinsAndOutputCostsZeroAsInLiteLlm()
    {
        var deployment = Deployment("openai/gpt-4o") with { Pricing = new DeploymentPricing { InputCostPerToken = 1e-07 } };

        // The table's limits still describe the model; its cache price belonged to its own input price.
        Assert.Equal(new ModelPrice { InputCostPerToken = 1e-07, OutputCostPerToken = 0, MaxOutputTokens = 16384 }, _prices.For(deployment));
    }

    [Fact]
    public void For_OwnPricesForAnUnknownModel_PriceIt()
    {
        var deployment = Deployment("openai/my-local-model") with
        {
            Pricing = new DeploymentPricing { OutputCostPerToken = 2e-06, CacheReadInputTokenCost = 1e-08, MaxOutputTokens = 1000 },
        };

        Assert.Equal(new ModelPrice { OutputCostPerToken = 2e-06, CacheReadInputTokenCost = 1e-08, MaxOutputTokens = 1000 }, _prices.For(deployment));
    }

    [Fact]
    public void For_OwnLimitWithoutOwnPrice_OverridesTheTablesLimit()
    {
        var deployment = Deployment("openai/gpt-4o") with { Pricing = new DeploymentPricing { MaxOutputTokens = 4000 } };

        Assert.Equal(Table.Find("gpt-4o")! with { MaxOutputTokens = 4000 }, _prices.For(deployment));
    }

    [Fact]
    public void For_ImportedTable_BeatsTheBuiltInOne()
    {
        var imported = PriceTableTests.Parse("""{"gpt-4o": {"input_cost_per_token": 5e-06, "output_cost_per_token": 2e-05}}""");
        var prices = new ModelPrices(Table, imported);

        Assert.Equal(5e-06, prices.For(Deployment("openai/gpt-4o"))?.InputCostPerToken);
        Assert.Equal(2e-06, prices.For(Deployment("openai/o3"))?.InputCostPerToken);
    }

    [Fact]
    public void For_SameDeploymentTwice_ResolvedOnce()
    {
        var deployment = Deployment("openai/gpt-4o") with { Pricing = new DeploymentPricing { MaxOutputTokens = 4000 } };

        Assert.Same(_prices.For(deployment), _prices.For(deployment));
    }

    [Fact]
    public void Unpriced_ListsWhatNothingPricesExceptMocks()
    {
        var priced = Deployment("openai/gpt-4o");
        var unpriced = Deployment("openai/my-local-model");
        var mock = Deployment("openai/other-local-model") with { MockResponse = "hi" };

        Assert.Equal([unpriced], _prices.Unpriced([priced, unpriced, mock]));
    }

    [Fact]
    public void Load_NoImportedFile_BuiltInOnly()
    {
        var directory = Directory.CreateTempSubdirectory("llmgate-prices-");
        try
        {
            Assert.Equal(PriceTable.BuiltIn.Find("gpt-4o"), ModelPrices.Load(directory.FullName).For(Deployment("openai/gpt-4o")));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Load_ImportedFile_ReadAndPreferred()
    {
        var directory = Directory.CreateTempSubdirectory("llmgate-prices-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "model_prices.json"), """{"gpt-4o": {"input_cost_per_token": 7e-06, "output_cost_per_token": 7e-06}}""");

            var prices = ModelPrices.Load(directory.FullName);

            Assert.Equal(7e-06, prices.For(Deployment("openai/gpt-4o"))?.InputCostPerToken);
            Assert.Equal(PriceTable.BuiltIn.Find("o3"), prices.For(Deployment("openai/o3")));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Load_BrokenImportedFile_ThrowsNamingTheFile()
    {
        var directory = Directory.CreateTempSubdirectory("llmgate-prices-");
        try
        {
            var path = Path.Combine(directory.FullName, "model_prices.json");
            File.WriteAllText(path, "{\"gpt-4o\": ");

            var exception = Assert.Throws<PriceTableException>(() => ModelPrices.Load(directory.FullName));

            Assert.StartsWith($"{path}: not valid JSON", exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static DeploymentConfig Deployment(string model) => new() { ModelName = "m", Model = model, Id = model };
}
