using System.Collections.Frozen;
using LlmGate.Configuration;
using LlmGate.Routing;

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

    private ConditionCatalog(IReadOnlyList<DeploymentConfig> deployments, Func<DeploymentConfig, string> providerOf)
    {
        var byId = new Dictionary<string, ConditionProblem>(StringComparer.Ordinal);
        var groups = new Dictionary<string, ConditionProblem>(StringComparer.Ordinal);
        var regions = new Dictionary<string, ConditionProblem>(StringComparer.Ordinal);
        var regionOf = new Dictionary<string, ConditionProblem>(StringComparer.Ordinal);
        foreach (var deployment in deployments)
        {
            var provider = providerOf(deployment);
            var host = HostOf(deployment.ApiBase);
            byId.TryAdd(deployment.Id, ConditionProblem.OfDeployment(deployment.Id, deployment.ModelName, provider, host));
            groups.TryAdd(deployment.ModelName, ConditionProblem.OfModelGroup(deployment.ModelName));
            if (RegionOf(deployment) is { } region)
            {
                var key = $"{provider}/{region}";
                if (!regions.TryGetValue(key, out var problem))
                {
                    problem = ConditionProblem.OfRegion(provider, region);
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

    /// <summary>The route table's deployments, each with the provider the router resolved for it (LiteLLM's rules, in one place).</summary>
    public static ConditionCatalog From(RouteTable routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var deployments = routes.Groups.SelectMany(g => g.Deployments).DistinctBy(d => d.Id).ToList();
        var providers = deployments.ToDictionary(d => d.Id, d => d.ProviderName, StringComparer.Ordinal);
        return new ConditionCatalog([.. deployments.Select(d => d.Config)], d => providers[d.Id]);
    }

    public static ConditionCatalog From(IReadOnlyList<DeploymentConfig> deployments, Func<DeploymentConfig, string> providerOf) => new(deployments, providerOf);

    public ConditionProblem Deployment(string? id) => id is not null && _deployments.TryGetValue(id, out var problem) ? problem : OtherDeployment;

    public ConditionProblem ModelGroup(string? group) => group is not null && _modelGroups.TryGetValue(group, out var problem) ? problem : OtherModelGroup;

    /// <summary>The provider region of a configured deployment; null when it has none (it is then never counted per region).</summary>
    public ConditionProblem? RegionOf(string deploymentId) => _regionOfDeployment.GetValueOrDefault(deploymentId);

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
