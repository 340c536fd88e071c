namespace LlmGate.Testing;

/// <summary>What a fake received: path, the Authorization header, the raw body and all headers.</summary>
public sealed record ReceivedRequest(string Path, string Authorization, string Body, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>When it arrived, on the fake's clock (set by fakes that are given one).</summary>
    public DateTimeOffset ArrivedAt { get; init; }

    /// <summary>The request target exactly as it came on the wire, percent-encodings kept (<see cref="Path"/> is decoded by Kestrel).</summary>
    public string RawTarget { get; init; } = "";
}
