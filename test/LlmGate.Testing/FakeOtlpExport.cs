namespace LlmGate.Testing;

/// <summary>One export request the receiver got: its path, headers, and what its protobuf body decoded to.</summary>
public sealed record FakeOtlpExport(
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyList<FakeOtlpSpan> Spans,
    IReadOnlyList<FakeOtlpDataPoint> Points)
{
    public bool IsTraces => Path.EndsWith("/v1/traces", StringComparison.Ordinal);

    public bool IsMetrics => Path.EndsWith("/v1/metrics", StringComparison.Ordinal);
}
