namespace LlmGate.Testing;

/// <summary>One span as an OTLP exporter sent it: ids in lowercase hex (empty parent for a root), kind and status as OTLP numbers.</summary>
public sealed record FakeOtlpSpan(
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    int Kind,
    IReadOnlyDictionary<string, object?> Attributes,
    int StatusCode,
    string Scope,
    IReadOnlyDictionary<string, object?> Resource)
{
    public const int KindInternal = 1;
    public const int KindServer = 2;
    public const int KindClient = 3;

    public const int StatusUnset = 0;
    public const int StatusOk = 1;
    public const int StatusError = 2;

    /// <summary>An attribute as text (numbers in invariant form); null when absent.</summary>
    public string? Attribute(string key) => Attributes.TryGetValue(key, out var value) ? FakeOtlpValues.Text(value) : null;

    /// <summary>An attribute of the resource that sent the span (<c>service.name</c>), as text; null when absent.</summary>
    public string? ResourceAttribute(string key) => Resource.TryGetValue(key, out var value) ? FakeOtlpValues.Text(value) : null;
}
