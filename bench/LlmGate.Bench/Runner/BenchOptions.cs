using LlmGate.Bench.Targets;

namespace LlmGate.Bench.Runner;

/// <summary>Everything a load run needs, resolved from the command line.</summary>
internal sealed record BenchOptions
{
    public bool Quick { get; init; }

    public required IReadOnlyList<BenchTarget> Targets { get; init; }

    public required IReadOnlyList<Scenario> Scenarios { get; init; }

    public required IReadOnlyList<int> Concurrencies { get; init; }

    /// <summary>Load on a freshly started target, per scenario, before its first point: JIT tiers and pools settle.</summary>
    public required TimeSpan TargetWarmup { get; init; }

    /// <summary>Load at a point's own concurrency before its window.</summary>
    public required TimeSpan PointWarmup { get; init; }

    public required TimeSpan Duration { get; init; }

    /// <summary>
    /// How many times every target is started and measured (the order reversed every other round); each point reports
    /// the round with the median req/s. Two starts of the same .NET process can differ by 15–20 %.
    /// </summary>
    public int Rounds { get; init; } = 1;

    public int StreamChunks { get; init; } = 20;

    public TimeSpan FirstByteDelay { get; init; }

    public TimeSpan ChunkDelay { get; init; }

    /// <summary>Console viewers <c>llmgate-viewed</c> keeps open during its measurement.</summary>
    public int UiViewers { get; init; } = 10;

    /// <summary>
    /// Seconds of load (chat, 64 connections, no warm-up) on a second, fresh start of each target, from its first
    /// served request; 0 skips it.
    /// </summary>
    public double FirstSeconds { get; init; }

    /// <summary>Cross-check the headline point (chat, 64 connections) with wrk, when it is on PATH.</summary>
    public bool Wrk { get; init; }

    /// <summary>Streams the idle-streams scenario holds open at once.</summary>
    public int IdleStreams { get; init; } = 10_000;

    /// <summary>The fake upstream sends an idle stream's next chunk after this long.</summary>
    public TimeSpan IdleChunkInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long every idle stream is held open after the last one had its first chunk.</summary>
    public TimeSpan IdleHold { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The most the idle streams may take to open, all of them.</summary>
    public TimeSpan IdleOpenLimit { get; init; } = TimeSpan.FromSeconds(60);

    public required CpuLayout Layout { get; init; }

    /// <summary>llmgate.dll built in Release (run with dotnet), or a published llmgate binary.</summary>
    public required string GatewayProgram { get; init; }

    /// <summary>Set in every gateway target's environment (<c>--gateway-env</c>); the harness's own variables win.</summary>
    public IReadOnlyDictionary<string, string> GatewayEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>This program's own dll, started again as the fake upstream and the bare proxy.</summary>
    public required string BenchDll { get; init; }

    public required string OutputPath { get; init; }

    /// <summary>Where the latency chart goes; null draws none.</summary>
    public string? ChartPath { get; init; }
}
