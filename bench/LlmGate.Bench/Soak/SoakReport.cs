using LlmGate.Bench.Reporting;

namespace LlmGate.Bench.Soak;

/// <summary>What <c>soak</c> writes to <c>bench/results/soak.json</c>.</summary>
internal sealed record SoakReport
{
    public required DateTimeOffset Created { get; init; }

    public required MachineInfo Machine { get; init; }

    /// <summary>Seconds of load before the run's clock started: until the JIT settled (<see cref="SoakVerdict"/>).</summary>
    public required double WarmUpSeconds { get; init; }

    /// <summary>The run after the warm-up.</summary>
    public required double DurationSeconds { get; init; }

    public required double SampleIntervalSeconds { get; init; }

    public required IReadOnlyDictionary<string, int> Connections { get; init; }

    public required double ThinkMs { get; init; }

    public required IReadOnlyList<SoakSample> Samples { get; init; }

    /// <summary>When the baseline sample was taken; null when the run was too short to have one.</summary>
    public double? BaselineSeconds { get; init; }

    public required IReadOnlyList<SoakCheck> Checks { get; init; }

    /// <summary>Every request's outcome over the whole run, per kind.</summary>
    public required IReadOnlyList<SoakKindCounts> Requests { get; init; }

    /// <summary>Events the gateway delivered to the fake PagerDuty (the provoked faults open incidents on purpose).</summary>
    public required int PagerDutyEvents { get; init; }

    public required bool Passed { get; init; }

    /// <summary>Why it failed, one line each; empty when it passed.</summary>
    public required IReadOnlyList<string> Failures { get; init; }
}
