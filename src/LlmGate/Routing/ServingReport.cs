using LlmGate.Configuration;

namespace LlmGate.Routing;

/// <summary>
/// Which deployments of a config can be called and which cannot, and why (a provider LlmGate does not speak, a key
/// whose variable is unset, no project...): said once per deployment by <c>llmgate validate</c> and at start-up, so that
/// a config does not look healthy until its first call fails.
/// </summary>
internal sealed class ServingReport
{
    private ServingReport(IReadOnlyList<string> unservable, int unservableCount, int total)
    {
        Unservable = unservable;
        Servable = total - unservableCount;
        Total = total;
    }

    /// <summary>
    /// <c>model_list[i] '&lt;model_name&gt;' (line N): &lt;reason&gt;</c>, in file order; a deployment whose key variable is
    /// unset is left out, the config's own warning has said so already.
    /// </summary>
    public IReadOnlyList<string> Unservable { get; }

    public int Total { get; }

    public int Servable { get; }

    public string Summary => $"{Servable} of {Total} deployments can be served";

    public static ServingReport Of(IReadOnlyList<DeploymentConfig> deployments, RouteTable routes)
    {
        ArgumentNullException.ThrowIfNull(deployments);
        ArgumentNullException.ThrowIfNull(routes);
        var reasons = new Dictionary<DeploymentConfig, string?>(ReferenceEqualityComparer.Instance);
        foreach (var deployment in routes.Groups.SelectMany(g => g.Deployments))
        {
            reasons[deployment.Config] = deployment.UnusableReason;
        }

        var unservable = new List<string>();
        var count = 0;
        for (var i = 0; i < deployments.Count; i++)
        {
            // A mock_response deployment answers without its provider: nothing it lacks stops it.
            if (deployments[i].MockResponse is null && reasons.GetValueOrDefault(deployments[i]) is { } reason)
            {
                count++;
                if (deployments[i].MissingApiKeyVariable is null)
                {
                    unservable.Add($"model_list[{i}] '{deployments[i].ModelName}' (line {deployments[i].Line}): {reason}");
                }
            }
        }

        return new ServingReport(unservable, count, deployments.Count);
    }
}
