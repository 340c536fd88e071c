using LlmGate.Configuration;

namespace LlmGate.Pricing;

/// <summary>
/// The price of each deployment: its own <c>model_info</c> / <c>litellm_params</c> costs first, then the imported
/// table (<c>llmgate prices import</c>), then the built-in one. Null when nothing prices it (its calls cost 0).
/// </summary>
internal interface IModelPrices
{
    ModelPrice? For(DeploymentConfig deployment);

    /// <summary>
    /// The price of a call a deployment made with <paramref name="upstreamModel"/>: for a wildcard deployment
    /// (<c>openai/*</c>) the model the client asked for, for any other the same as <see cref="For(DeploymentConfig)"/>.
    /// </summary>
    ModelPrice? For(DeploymentConfig deployment, string? upstreamModel);
}
