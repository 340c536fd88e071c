using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LlmGate.Pricing;

internal static class PricingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IModelPrices"/> (and <see cref="ModelPrices"/>). The imported table in
    /// <paramref name="dataDirectory"/> is read now, so a broken one stops the start with a
    /// <see cref="PriceTableException"/> that names the file, before the gateway serves a request it would price wrong.
    /// </summary>
    public static IServiceCollection AddLlmGatePricing(this IServiceCollection services, string dataDirectory)
    {
        var prices = ModelPrices.Load(dataDirectory);
        services.TryAddSingleton(prices);
        services.TryAddSingleton<IModelPrices>(sp => sp.GetRequiredService<ModelPrices>());
        return services;
    }
}
