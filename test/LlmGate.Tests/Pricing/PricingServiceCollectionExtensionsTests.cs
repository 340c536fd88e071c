using LlmGate.Pricing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Tests.Pricing;

public sealed class PricingServiceCollectionExtensionsTests
{
    [Fact]
    public void AddLlmGatePricing_RegistersOneModelPricesAsIModelPrices()
    {
        var directory = Directory.CreateTempSubdirectory("llmgate-prices-");
        try
        {
            using var provider = new ServiceCollection().AddLlmGatePricing(directory.FullName).BuildServiceProvider();

            Assert.Same(provider.GetRequiredService<ModelPrices>(), provider.GetRequiredService<IModelPrices>());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
