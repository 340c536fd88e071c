using LlmGate.OpenAi;
using LlmGate.Providers;
using LlmGate.Routing;

namespace LlmGate.Health;

/// <summary>One deployment a health check can call: the call its mode asks for and the model the provider receives.</summary>
internal sealed record HealthTarget(ModelGroup Group, Deployment Deployment, ProxyEndpointKind Kind, string UpstreamModel)
{
    /// <summary>
    /// Null when the deployment cannot be checked: a mode LlmGate does not serve, or a wildcard (<c>openai/*</c>) without
    /// <c>model_info.health_check_model</c> (LiteLLM then picks the provider's cheapest chat model from its price table;
    /// LlmGate does not guess one).
    /// </summary>
    public static HealthTarget? For(ModelGroup group, Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(deployment);
        if (HealthProbe.KindOf(deployment.Config.Mode) is not { } kind)
        {
            return null;
        }

        // A deployment the gateway bridges /v1/responses onto chat completions is checked with the call it would get.
        if (kind == ProxyEndpointKind.Responses && !ResponsesApi.IsNative(deployment.Endpoint))
        {
            kind = ProxyEndpointKind.ChatCompletions;
        }

        // As LiteLLM: health_check_model replaces litellm_params.model (its provider prefix is the deployment's business).
        var model = deployment.Config.HealthCheckModel is { } checkModel
            ? ProviderCatalog.Split(checkModel).UpstreamModel
            : deployment.Endpoint.UpstreamModelTemplate;
        return model.Contains('*', StringComparison.Ordinal) ? null : new HealthTarget(group, deployment, kind, model);
    }
}
