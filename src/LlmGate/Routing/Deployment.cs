using LlmGate.Configuration;
using LlmGate.Providers;

namespace LlmGate.Routing;

/// <summary>
/// A deployment as the router sees it: its config, its load, and the provider endpoint its calls go to (which the
/// router never opens: URLs and credentials are the provider's business).
/// </summary>
internal sealed class Deployment(ProviderEndpoint endpoint, DeploymentLoad? load = null)
{
    public ProviderEndpoint Endpoint { get; } = endpoint;

    public DeploymentConfig Config => Endpoint.Config;

    /// <summary>In-flight count, latency and requests per minute, as the routing strategies read them; a reload hands it on by deployment id.</summary>
    public DeploymentLoad Load { get; } = load ?? new();

    public string Id => Config.Id;

    public string ProviderName => Endpoint.ProviderName;

    /// <summary>Why calls to this deployment cannot be made; null when it is usable. The picker offers it only when nothing else is.</summary>
    public string? UnusableReason => Endpoint.UnusableReason;

    /// <summary>The model name the upstream receives: the template with <c>*</c> filled by what the request's wildcard matched.</summary>
    public string UpstreamModel(string requestedModel, string? wildcardCapture)
    {
        var template = Endpoint.UpstreamModelTemplate;
        return template.Contains('*', StringComparison.Ordinal)
            ? template.Replace("*", wildcardCapture ?? requestedModel, StringComparison.Ordinal)
            : template;
    }
}
