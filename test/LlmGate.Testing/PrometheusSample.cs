namespace LlmGate.Testing;

/// <summary>One sample line of a Prometheus text exposition.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public bool Has(string label, string value) => Labels.TryGetValue(label, out var actual) && actual == value;
}
