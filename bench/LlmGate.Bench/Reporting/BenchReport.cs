namespace LlmGate.Bench.Reporting;

/// <summary>The whole run, as written to <c>bench/results/latest.json</c>.</summary>
internal sealed record BenchReport
{
    public required DateTimeOffset Created { get; init; }

    public required MachineInfo Machine { get; init; }

    public required BenchSettings Settings { get; init; }

    public required IReadOnlyList<PointResult> Points { get; init; }

    /// <summary>Start-up time, first-seconds throughput and the wrk cross-check, per target.</summary>
    public IReadOnlyList<TargetResult> TargetResults { get; init; } = [];

    /// <summary>The idle-streams scenario, per target (empty unless it was asked for).</summary>
    public IReadOnlyList<IdleStreamsResult> IdleStreams { get; init; } = [];

    /// <summary>Events the fake PagerDuty received: 0 when the thresholds held, as intended.</summary>
    public required int PagerDutyEvents { get; init; }

    /// <summary>OTLP exports (traces, metrics) <c>llmgate-observed</c> sent to the harness's sink.</summary>
    public int TelemetryExports { get; init; }

    /// <summary>Console viewers <c>llmgate-viewed</c> kept open (0 when it did not run).</summary>
    public int UiViewers { get; init; }

    /// <summary>Live events those viewers received from <c>/ui/api/events</c>.</summary>
    public long UiViewerEvents { get; init; }

    public required double ElapsedSeconds { get; init; }

    /// <summary>The one-minute load average before and after the run: near 0 before on a quiet machine.</summary>
    public required double LoadAverageBefore { get; init; }

    public required double LoadAverageAfter { get; init; }
}
