namespace LlmGate.Tests.Testing;

/// <summary>One decoded event-stream frame: its string headers and its payload as text.</summary>
internal sealed record EventStreamFrame(IReadOnlyDictionary<string, string> Headers, string Payload)
{
    public string? this[string header] => Headers.GetValueOrDefault(header);
}
