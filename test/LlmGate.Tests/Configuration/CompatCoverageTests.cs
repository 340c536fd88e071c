using LlmGate.Configuration;
using LlmGate.Providers;
using Xunit.Abstractions;

namespace LlmGate.Tests.Configuration;

/// <summary>How much of the real LiteLLM corpus LlmGate can serve: deployments on a provider it speaks.</summary>
public sealed class CompatCoverageTests(ITestOutputHelper output)
{
    // Raised as providers land, so that none is lost unnoticed (318 of 471 before Gemini and Vertex AI, 415 before Bedrock, Cohere, Cloudflare and the long tail).
    private const int MinimumServable = 468;

    [SharedCompatFact]
    public void Corpus_DeploymentsOnSupportedProviders_AtLeastTheCountReached()
    {
        var adapters = ProviderAdapters.CreateDefault(TimeProvider.System);
        var endpoints = CompatConfigs.Files()
            .Select(file => ConfigLoader.Load(Path.Combine(CompatConfigs.Directory!, (string)file[0]), TestEnvironment.Plausible).Config!)
            .SelectMany(config => config.Deployments)
            .Select(deployment => new ProviderEndpoint(deployment, adapters, TestEnvironment.Plausible))
            .ToArray();
        var unsupported = endpoints.Where(e => e.Provider is null).GroupBy(e => e.ProviderName).OrderByDescending(g => g.Count());

        var servable = endpoints.Count(e => e.Provider is not null);
        output.WriteLine($"{servable} of {endpoints.Length} deployments on providers LlmGate speaks; not yet: "
            + string.Join(", ", unsupported.Select(g => $"{g.Key} {g.Count()}")));

        Assert.True(servable >= MinimumServable, $"{servable} of {endpoints.Length} deployments servable, fewer than {MinimumServable}");
    }
}
