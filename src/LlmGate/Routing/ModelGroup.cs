namespace LlmGate.Routing;

/// <summary>The deployments that share one <c>model_name</c>, load-balanced by weighted shuffle.</summary>
internal sealed class ModelGroup
{
    private readonly double[] _cumulativeWeights;

    public ModelGroup(string name, IReadOnlyList<Deployment> deployments)
    {
        Name = name;
        Deployments = deployments;
        IsWildcard = name.Contains('*', StringComparison.Ordinal);
        _cumulativeWeights = new double[deployments.Count];
        var total = 0d;
        for (var i = 0; i < deployments.Count; i++)
        {
            total += deployments[i].Config.Weight;
            _cumulativeWeights[i] = total;
        }
    }

    public string Name { get; }

    public bool IsWildcard { get; }

    public IReadOnlyList<Deployment> Deployments { get; }

    /// <summary>Simple shuffle: a deployment drawn at random in proportion to its weight.</summary>
    public Deployment Pick(Random random)
    {
        if (Deployments.Count == 1)
        {
            return Deployments[0];
        }

        var point = random.NextDouble() * _cumulativeWeights[^1];
        var index = Array.BinarySearch(_cumulativeWeights, point);
        index = index < 0 ? ~index : index + 1;
        return Deployments[Math.Min(index, Deployments.Count - 1)];
    }
}
