namespace LlmGate.Routing;

/// <summary>The deployments that share one <c>model_name</c>, with the weights simple shuffle draws by.</summary>
internal sealed class ModelGroup
{
    private readonly double[] _cumulativeWeights;

    public ModelGroup(string name, IReadOnlyList<Deployment> deployments)
    {
        Name = name;
        Deployments = deployments;
        IsWildcard = name.Contains('*', StringComparison.Ordinal);
        Weights = ShuffleWeights(deployments);
        _cumulativeWeights = new double[deployments.Count];
        var total = 0d;
        for (var i = 0; i < deployments.Count; i++)
        {
            total += Weights[i];
            _cumulativeWeights[i] = total;
        }
    }

    public string Name { get; }

    public bool IsWildcard { get; }

    public IReadOnlyList<Deployment> Deployments { get; }

    /// <summary>
    /// Simple shuffle's weight of each deployment, as LiteLLM chooses them: <c>weight</c> when any deployment sets one other than 1,
    /// else <c>rpm</c> when every deployment has one, else <c>tpm</c> likewise, else equal.
    /// </summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>Simple shuffle over every deployment: one drawn at random in proportion to its weight.</summary>
    public Deployment Pick(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (Deployments.Count == 1)
        {
            return Deployments[0];
        }

        var point = random.NextDouble() * _cumulativeWeights[^1];
        var index = Array.BinarySearch(_cumulativeWeights, point);
        index = index < 0 ? ~index : index + 1;
        return Deployments[Math.Min(index, Deployments.Count - 1)];
    }

    private static double[] ShuffleWeights(IReadOnlyList<Deployment> deployments)
    {
        Func<Deployment, double> weightOf =
            deployments.Any(d => d.Config.Weight != 1) ? d => d.Config.Weight
            : deployments.All(d => d.Config.Rpm > 0) ? d => d.Config.Rpm!.Value
            : deployments.All(d => d.Config.Tpm > 0) ? d => d.Config.Tpm!.Value
            : _ => 1;
        return [.. deployments.Select(weightOf)];
    }
}
