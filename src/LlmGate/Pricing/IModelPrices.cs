using LlmGate.Configuration;

namespace LlmGate.Pricing;

/// <summary>
/// The price of each deployment: its own <c>model_info</c> / <c>litellm_params</c> costs first, then the imported
/// table (<c>llmgate prices import</c>), then the built-in one. Null when nothing prices it (its calls cost 0).
/// </summary>
internal interface IModelPrices
{
    ModelPrice? For(DeploymentConfig deployment);
}
