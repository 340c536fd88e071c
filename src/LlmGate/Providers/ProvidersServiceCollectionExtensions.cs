using LlmGate.Providers.Aws;
using LlmGate.Providers.Cloudflare;
using LlmGate.Providers.Cohere;
using LlmGate.Providers.Google;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LlmGate.Providers;

/// <summary>Wires the provider adapters; each is a singleton service with the host's <see cref="TimeProvider"/>.</summary>
internal static class ProvidersServiceCollectionExtensions
{
    public static IServiceCollection AddLlmGateProviders(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IProviderAdapter, OpenAiCompatibleAdapter>();
        services.AddSingleton<IProviderAdapter, AzureOpenAiAdapter>();
        services.AddSingleton<IProviderAdapter, AzureAiAdapter>();
        services.AddSingleton<IProviderAdapter, AnthropicAdapter>();
        services.AddSingleton<IProviderAdapter, GeminiAdapter>();
        services.AddSingleton<IProviderAdapter, VertexAiAdapter>();
        services.AddSingleton<IProviderAdapter, BedrockAdapter>();
        services.AddSingleton<IProviderAdapter, CohereAdapter>();
        services.AddSingleton<IProviderAdapter, CloudflareAdapter>();
        services.TryAddSingleton<ProviderAdapters>();
        return services;
    }
}
