namespace LlmGate.Bench.Reporting;

/// <summary>
/// Per target, what is not a load point: its start-up time, its first seconds of throughput from a cold start, and
/// the wrk cross-check of the headline point. With several rounds, each figure is the median of the rounds.
/// </summary>
internal sealed record TargetResult
{
    public required string Target { get; init; }

    /// <summary>Process started → first chat completion answered through it, in ms: the median of every start of this target.</summary>
    public double? StartupMs { get; init; }

    /// <summary>Every start-up time measured (the main start and the first-seconds start, every round).</summary>
    public IReadOnlyList<double> StartupSamplesMs { get; init; } = [];

    /// <summary>From a fresh start, chat at 64 connections with no warm-up, from the first served request: req/s over the first seconds.</summary>
    public double? FirstSecondsRequestsPerSecond { get; init; }

    public double? FirstSecondsWindowSeconds { get; init; }

    public long? FirstSecondsErrors { get; init; }

    /// <summary>The first seconds' req/s over the steady state's (chat, 64 connections, same run); null without that point.</summary>
    public double? FirstSecondsVsSteady { get; init; }

    /// <summary>The harness's req/s at chat, 64 connections (the steady state both ratios compare with).</summary>
    public double? SteadyRequestsPerSecond { get; init; }

    /// <summary>wrk's req/s at chat, 64 connections, on the warm target (<c>--wrk</c>).</summary>
    public double? WrkRequestsPerSecond { get; init; }

    public long? WrkNon2xx { get; init; }

    public string? WrkSocketErrors { get; init; }

    /// <summary>wrk's req/s over the harness's at the same point.</summary>
    public double? WrkVsHarness { get; init; }

    public IReadOnlyList<double>? RoundsFirstSecondsRequestsPerSecond { get; init; }

    public IReadOnlyList<double>? RoundsWrkRequestsPerSecond { get; init; }
}
