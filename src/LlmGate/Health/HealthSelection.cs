using LlmGate.Routing;

namespace LlmGate.Health;

/// <summary>The deployments a <c>/health</c> request is about: all, or those <c>?model=</c> or <c>?model_id=</c> names.</summary>
internal static class HealthSelection
{
    /// <summary>
    /// In config order, only from groups <paramref name="mayCall"/> allows (a virtual key sees the models it may call).
    /// <c>model</c> is a model group's name, else a <c>litellm_params.model</c> (as LiteLLM matches it); <c>model_id</c> a deployment id.
    /// </summary>
    public static IReadOnlyList<(ModelGroup Group, Deployment Deployment)> Matching(RouteTable routes, string? model, string? modelId, Func<string, bool> mayCall)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(mayCall);
        var all = routes.Groups
            .Where(g => mayCall(g.Name))
            .SelectMany(g => g.Deployments.Select(d => (Group: g, Deployment: d)))
            .Where(m => modelId is null || string.Equals(m.Deployment.Id, modelId, StringComparison.Ordinal))
            .ToArray();
        if (model is null)
        {
            return all;
        }

        var byGroup = all.Where(m => string.Equals(m.Group.Name, model, StringComparison.Ordinal)).ToArray();
        return byGroup.Length > 0 ? byGroup : [.. all.Where(m => string.Equals(m.Deployment.Config.Model, model, StringComparison.Ordinal))];
    }
}
