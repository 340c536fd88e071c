using LlmGate.Configuration;

namespace LlmGate.Alerting;

/// <summary>
/// Where counts and incidents are kept: one scope for the gateway, or one per configured model group.
/// The set is fixed at start-up so memory stays bounded whatever model names requests carry.
/// </summary>
internal sealed class AlertScopes
{
    public const string Gateway = "gateway";

    /// <summary>Requests whose model group is not configured (should not happen) share this scope.</summary>
    public const string Other = "(other)";

    private readonly Dictionary<string, string>? _groups;

    private AlertScopes(IReadOnlyList<string> all, Dictionary<string, string>? groups)
    {
        All = all;
        _groups = groups;
    }

    public IReadOnlyList<string> All { get; }

    public bool PerModelGroup => _groups is not null;

    public static AlertScopes Create(GatewayConfig config, bool perModelGroup) =>
        Create(perModelGroup ? config.Deployments.Select(d => d.ModelName) : [], perModelGroup);

    public static AlertScopes Create(IEnumerable<string> modelGroups, bool perModelGroup)
    {
        if (!perModelGroup)
        {
            return new AlertScopes([Gateway], null);
        }

        var groups = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in modelGroups)
        {
            groups.TryAdd(group, group);
        }

        groups.TryAdd(Other, Other);
        return new AlertScopes([.. groups.Keys], groups);
    }

    /// <summary>The scope a request of <paramref name="modelGroup"/> counts in.</summary>
    public string Resolve(string modelGroup)
    {
        if (_groups is null)
        {
            return Gateway;
        }

        return _groups.TryGetValue(modelGroup, out var scope) ? scope : Other;
    }
}
