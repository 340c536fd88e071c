namespace LlmGate.Testing;

/// <summary>
/// One data point of an exported metric. For a histogram: its count, sum, bucket bounds and counts; for a sum or a
/// gauge: <see cref="Value"/> (and a count of 1).
/// </summary>
public sealed record FakeOtlpDataPoint(
    string Metric,
    string Unit,
    IReadOnlyDictionary<string, object?> Attributes,
    ulong Count,
    double Sum,
    IReadOnlyList<double> Bounds,
    IReadOnlyList<ulong> BucketCounts,
    double? Value,
    string Scope)
{
    /// <summary>An attribute as text (numbers in invariant form); null when absent.</summary>
    public string? Attribute(string key) => Attributes.TryGetValue(key, out var value) ? FakeOtlpValues.Text(value) : null;
}
