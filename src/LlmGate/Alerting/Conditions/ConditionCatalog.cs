using System.Collections.Frozen;
using LlmGate.Configuration;

namespace LlmGate.Alerting.Conditions;

/// <summary>
/// The problems conditions may be about, fixed at start-up from <c>model_list</c>: each deployment, each model group
/// and each provider region. Lookups on the request path are reads of frozen dictionaries; an id or group not in the
/// config resolves to <see cref="Other"/>.
/// </summary>
internal sealed class ConditionCatalog
{
    public const string Other = "(other)";

    private static readonly string[] RegionParams = ["region_name", "aws_region_name", "vertex_location", "vertex_ai_location"];

    private readonly FrozenDictionary<string, ConditionProblem> _deployments;
    private readonly FrozenDictionary<string, ConditionProblem> _modelGroups;
    private readonly FrozenDictionary<string, ConditionProblem> _regionOfDeployment;

    private ConditionCatalog(IReadOnlyList<DeploymentConfig> deployments)
    {
        var byId = new Dictionary<string, ConditionProblem>(StringComparer.Ordinal);
        var groups = new Dictionary<string, ConditionProblem>(StringComparer.Ordinal);
        var regions = new Dictionary<string, ConditionProblem>(StringComparer.Ordinal);
        var regionOf = new Dictionary<string, ConditionProblem>(StringComparer.Ordinal);
        foreach (var deployment in deployments)
        {
            var provider = ProviderOf(deployment.Model);
            var host = HostOf(deployment.ApiBase);
            byId.TryAdd(deployment.Id, new ConditionProblem(deployment.Id, $"{deployment.Id} ({deployment.ModelName})")
            {
                ModelGroup = deployment.ModelName,
                Deployment = deployment.Id,
                Provider = provider,
                ApiHost = host,
            });
            groups.TryAdd(deployment.ModelName, new ConditionProblem(deployment.ModelName, deployment.ModelName) { ModelGroup = deployment.ModelName });
            if (RegionOf(deployment) is { } region)
            {
                var key = $"{provider}/{region}";
                if (!regions.TryGetValue(key, out var problem))
                {
                    problem = new ConditionProblem(key, $"{region} ({provider})") { Provider = provider, Region = region };
                    regions.Add(key, problem);
                }

                regionOf.TryAdd(deployment.Id, problem);
            }
        }

        OtherDeployment = new ConditionProblem(Other, Other) { Deployment = Other };
        OtherModelGroup = new ConditionProblem(Other, Other) { ModelGroup = Other };
        byId.TryAdd(Other, OtherDeployment);
        groups.TryAdd(Other, OtherModelGroup);
        _deployments = byId.ToFrozenDictionary(StringComparer.Ordinal);
        _modelGroups = groups.ToFrozenDictionary(StringComparer.Ordinal);
        _regionOfDeployment = regionOf.ToFrozenDictionary(StringComparer.Ordinal);
        Regions = [.. regions.Values];
    }

    public ConditionProblem OtherDeployment { get; }

    public ConditionProblem OtherModelGroup { get; }

    /// <summary>Every configured deployment, then <see cref="Other"/>.</summary>
    public IEnumerable<ConditionProblem> Deployments => _deployments.Values;

    public IEnumerable<ConditionProblem> ModelGroups => _modelGroups.Values;

    public IReadOnlyList<ConditionProblem> Regions { get; }

    public static ConditionCatalog From(GatewayConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new ConditionCatalog(config.Deployments);
    }

    public static ConditionCatalog From(IReadOnlyList<DeploymentConfig> deployments) => new(deployments);

    public ConditionProblem Deployment(string? id) => id is not null && _deployments.TryGetValue(id, out var problem) ? problem : OtherDeployment;

    public ConditionProblem ModelGroup(string? group) => group is not null && _modelGroups.TryGetValue(group, out var problem) ? problem : OtherModelGroup;

    /// <summary>The provider region of a configured deployment; null when it has none (it is then never counted per region).</summary>
    public ConditionProblem? RegionOf(string deploymentId) => _regionOfDeployment.GetValueOrDefault(deploymentId);

    // The provider prefix of litellm_params.model ("openai/gpt-4o"); LiteLLM's default provider is OpenAI's.
    private static string ProviderOf(string model)
    {
        var slash = model.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? model[..slash] : "openai";
    }

    private static string? HostOf(string? apiBase) =>
        apiBase is not null && Uri.TryCreate(apiBase, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.Authority : null;

    private static string? RegionOf(DeploymentConfig deployment)
    {
        foreach (var name in RegionParams)
        {
            if (deployment.ProviderParams.TryGetValue(name, out var region) && !string.IsNullOrWhiteSpace(region))
            {
                return region.Trim();
            }
        }

        return null;
    }
}
