namespace LlmGate.Bench.Load;

/// <summary>What the measured window of a run recorded.</summary>
internal sealed record LoadResult
{
    public required TimeSpan Window { get; init; }

    public required long Completed { get; init; }

    public required long Errors { get; init; }

    /// <summary>Error descriptions with their counts, e.g. <c>HTTP 502</c> or <c>timeout</c>.</summary>
    public required IReadOnlyDictionary<string, long> ErrorKinds { get; init; }

    public required LatencyHistogram Latency { get; init; }

    /// <summary>Time from sending the request to the first byte of the body; for streams, the first chunk.</summary>
    public required LatencyHistogram FirstChunk { get; init; }

    /// <summary>CPU the load generator's own process used during the window, as a share of one core.</summary>
    public required double GeneratorCpuShare { get; init; }

    public double RequestsPerSecond => Window > TimeSpan.Zero ? Completed / Window.TotalSeconds : 0;
}
