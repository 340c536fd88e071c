using LlmGate.Configuration;
using LlmGate.Pricing;

namespace LlmGate.Tests.Keys.Management;

/// <summary>Prices every deployment the same.</summary>
internal sealed class FixedModelPrices(ModelPrice price) : IModelPrices
{
    public ModelPrice? For(DeploymentConfig deployment) => price;

    public ModelPrice? For(DeploymentConfig deployment, string? upstreamModel) => price;
}
