using System.Collections.Frozen;
using LlmGate.Configuration;
using LlmGate.Providers;

namespace LlmGate.Routing;

/// <summary>
/// The immutable routing snapshot built from the config (at start and on each reload): exact model names first, then wildcard
/// patterns in file order, then the same with the provider inferred from the model name (<c>gpt-4o</c> → <c>openai/gpt-4o</c>).
/// </summary>
internal sealed class RouteTable
{
    private readonly FrozenDictionary<string, ModelGroup> _exact;
    private readonly (WildcardPattern Pattern, ModelGroup Group)[] _wildcards;
    private readonly IReadOnlyDictionary<string, string> _aliases;

    /// <param name="previous">The table a reload replaces: a deployment with the same id keeps its load (in-flight count,
    /// latency, requests per minute), so calls in flight on the old table and routing on the new one see the same numbers.</param>
    /// <param name="aliases"><c>model_group_alias</c>: a name asked for that another model group serves, looked up first, as LiteLLM does.</param>
    public RouteTable(
        IEnumerable<DeploymentConfig> deployments,
        ProviderAdapters adapters,
        Func<string, string?> getEnvironmentVariable,
        RouteTable? previous = null,
        IReadOnlyDictionary<string, string>? aliases = null)
    {
        _aliases = aliases ?? new Dictionary<string, string>();
        var loads = new Dictionary<string, DeploymentLoad>(StringComparer.Ordinal);
        foreach (var deployment in previous?.Groups.SelectMany(g => g.Deployments) ?? [])
        {
            loads.TryAdd(deployment.Id, deployment.Load);
        }

        var groups = deployments
            .GroupBy(d => d.ModelName, StringComparer.Ordinal)
            .Select(g => new ModelGroup(g.Key, g.Select(d => new Deployment(new ProviderEndpoint(d, adapters, getEnvironmentVariable), loads.GetValueOrDefault(d.Id))).ToArray()))
            .ToArray();
        Groups = groups;
        _exact = groups.Where(g => !g.IsWildcard).ToFrozenDictionary(g => g.Name, StringComparer.Ordinal);
        _wildcards = groups.Where(g => g.IsWildcard).Select(g => (new WildcardPattern(g.Name), g)).ToArray();
    }

    /// <summary>Every model group, in the order of the config file.</summary>
    public IReadOnlyList<ModelGroup> Groups { get; }

    /// <summary>The deployments whose provider settings can never work (an unreadable credentials file), one message each, in file order.</summary>
    public IReadOnlyList<string> ConfigurationErrors() =>
        Groups.SelectMany(g => g.Deployments)
            .Where(d => d.Endpoint.ConfigurationError is not null)
            .OrderBy(d => d.Config.Line)
            .Select(d => $"line {d.Config.Line}: model_list entry '{d.Config.ModelName}' ({d.Config.Model}): {d.Endpoint.ConfigurationError}")
            .ToArray();

    public bool TryResolve(string model, out RouteMatch match)
    {
        if (_aliases.Count > 0 && _aliases.TryGetValue(model, out var target))
        {
            model = target;
        }

        if (TryResolveLiteral(model, out match))
        {
            return true;
        }

        // LiteLLM's provider inference: a bare `gpt-4o` is retried as `openai/gpt-4o`.
        if (!model.Contains('/', StringComparison.Ordinal))
        {
            foreach (var provider in ProviderCatalog.InferProviders(model))
            {
                if (TryResolveLiteral(provider + "/" + model, out match))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool TryResolveLiteral(string model, out RouteMatch match)
    {
        if (_exact.TryGetValue(model, out var group))
        {
            match = new RouteMatch(group, null);
            return true;
        }

        foreach (var (pattern, wildcardGroup) in _wildcards)
        {
            if (pattern.TryMatch(model, out var capture))
            {
                match = new RouteMatch(wildcardGroup, capture);
                return true;
            }
        }

        match = default;
        return false;
    }
}
