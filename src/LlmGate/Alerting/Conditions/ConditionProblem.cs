namespace LlmGate.Alerting.Conditions;

/// <summary>
/// What a condition is about: a deployment, a model group or a provider region, taken from the config (or the one
/// <see cref="ConditionCatalog.Other"/> for anything else), so per-problem state stays bounded whatever requests carry.
/// </summary>
/// <param name="Key">Names the problem in its dedup key: the deployment id, the model group, or <c>provider/region</c>.</param>
/// <param name="Display">How messages name it: <c>d1 (gpt-4o)</c>.</param>
internal sealed record ConditionProblem(string Key, string Display)
{
    public string? ModelGroup { get; init; }

    public string? Deployment { get; init; }

    public string? Provider { get; init; }

    public string? Region { get; init; }

    /// <summary>The api_base's host and port: never its path or query, which may hold a key.</summary>
    public string? ApiHost { get; init; }

    /// <summary>A deployment, keyed by its id and shown with its model group: <c>d1 (gpt-4o)</c>.</summary>
    public static ConditionProblem OfDeployment(string id, string? modelGroup, string? provider, string? apiHost) =>
        new(id, $"{id} ({modelGroup})") { ModelGroup = modelGroup, Deployment = id, Provider = provider, ApiHost = apiHost };

    public static ConditionProblem OfModelGroup(string modelGroup) => new(modelGroup, modelGroup) { ModelGroup = modelGroup };

    /// <summary>A provider region, keyed <c>provider/region</c> and shown <c>us-east-1 (bedrock)</c>.</summary>
    public static ConditionProblem OfRegion(string provider, string region) =>
        new($"{provider}/{region}", $"{region} ({provider})") { Provider = provider, Region = region };

    /// <summary>A deployment's facts, as every per-deployment message shows them: model group, deployment, provider, api_base host.</summary>
    public IEnumerable<AlertFact> DeploymentFacts() =>
    [
        new("Model group", ModelGroup ?? ConditionCatalog.Other),
        new("Deployment", Deployment ?? ConditionCatalog.Other),
        new("Provider", Provider ?? "unknown"),
        new("API base", ApiHost ?? "provider default"),
    ];
}
