using LlmGate.Calls;
using LlmGate.Configuration;
using LlmGate.Pricing;
using LlmGate.Routing;

namespace LlmGate.Keys;

/// <summary>What a call cost: its usage at the price of the deployment that answered (a wildcard's, of the model asked for).</summary>
internal sealed class CallPricing(GatewaySnapshotSource snapshots, IModelPrices prices)
{
    private Tuple<GatewaySnapshot, Dictionary<string, DeploymentConfig>>? _deployments;

    /// <summary>Null when the call has no usage or nothing prices its deployment.</summary>
    public double? CostOf(CallContext call)
    {
        var attempt = call.CurrentAttempt;
        if (call.Usage is not { } usage || attempt is null || Deployment(attempt.DeploymentId) is not { } deployment)
        {
            return null;
        }

        return prices.For(deployment, attempt.UpstreamModel) is { } price ? CostCalculator.Cost(price, usage) : null;
    }

    private DeploymentConfig? Deployment(string id)
    {
        var current = snapshots.Current;
        var map = Volatile.Read(ref _deployments);
        if (map is null || !ReferenceEquals(map.Item1, current))
        {
            map = Tuple.Create(current, current.Config.Deployments.GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.First()));
            Volatile.Write(ref _deployments, map);
        }

        return map.Item2.GetValueOrDefault(id);
    }
}
