namespace LlmGate.Bench.Soak;

/// <summary>What <c>soak</c> runs: how long, with which clients, against which gateway build, and where the report goes.</summary>
internal sealed record SoakOptions
{
    public required TimeSpan Duration { get; init; }

    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Closed-loop connections per kind: 24 in all by default, modest on a 2-core machine.</summary>
    public IReadOnlyDictionary<SoakKind, int> Connections { get; init; } = new Dictionary<SoakKind, int>
    {
        [SoakKind.Chat] = 6,
        [SoakKind.Stream] = 6,
        [SoakKind.Embedding] = 4,
        [SoakKind.UpstreamError] = 3,
        [SoakKind.Timeout] = 2,
        [SoakKind.Disconnect] = 3,
    };

    /// <summary>Each connection's pause between a response and its next request: bounds the rate without a rate limiter.</summary>
    public required TimeSpan Think { get; init; }

    public required string GatewayProgram { get; init; }

    public required string BenchDll { get; init; }

    public required string OutputPath { get; init; }
}
