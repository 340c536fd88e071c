namespace LlmGate.Bench.Reporting;

/// <summary>The settings a report was measured with, so two reports can be compared knowingly.</summary>
internal sealed record BenchSettings(
    bool Quick,
    IReadOnlyList<string> Targets,
    IReadOnlyList<string> Scenarios,
    IReadOnlyList<int> Concurrencies,
    double TargetWarmupSeconds,
    double PointWarmupSeconds,
    double DurationSeconds,
    int Rounds,
    int StreamChunks,
    double FirstByteDelayMs,
    double ChunkDelayMs,
    double FirstSeconds = 0,
    bool Wrk = false,
    int IdleStreams = 0,
    double IdleChunkIntervalSeconds = 0,
    double IdleHoldSeconds = 0,
    string? Gateway = null,
    IReadOnlyDictionary<string, string>? GatewayEnvironment = null);
