namespace LlmGate.Bench.Reporting;

/// <summary>
/// The idle-streams scenario for one target: N streams held open at once (each had its first chunk, then one every few
/// seconds), and what the target's memory and threads did. RSS is <c>VmRSS</c>; threads come from the probe.
/// </summary>
internal sealed record IdleStreamsResult
{
    public required string Target { get; init; }

    /// <summary>Streams asked for.</summary>
    public required int Streams { get; init; }

    /// <summary>Streams that got their first chunk within the opening time.</summary>
    public required int Opened { get; init; }

    /// <summary>Seconds from the first connect to the last stream's first chunk.</summary>
    public required double OpenSeconds { get; init; }

    /// <summary>The target's RSS after its warm-up, before any stream was opened.</summary>
    public required double IdleRssMib { get; init; }

    /// <summary>The target's RSS once every stream had its first chunk.</summary>
    public required double OpenRssMib { get; init; }

    /// <summary>The target's RSS at the end of the hold, every stream still open.</summary>
    public required double HeldRssMib { get; init; }

    /// <summary>The larger of the two RSS figures with the streams open, minus the idle RSS, over the streams opened.</summary>
    public required double KbPerStream { get; init; }

    /// <summary>The target's threads (from the probe; null without it) before opening, with every stream open, and at the end of the hold.</summary>
    public int? ThreadsBefore { get; init; }

    public int? ThreadsOpen { get; init; }

    public int? ThreadsAfter { get; init; }

    public int? ThreadPoolThreadsBefore { get; init; }

    public int? ThreadPoolThreadsAfter { get; init; }

    /// <summary>The target's open file descriptors at the end of the hold (from the probe).</summary>
    public int? OpenFdsHeld { get; init; }

    public required double HoldSeconds { get; init; }

    /// <summary>Streams still open at the end of the hold.</summary>
    public required int AliveAtEnd { get; init; }

    /// <summary>Streams that received at least one chunk after the first during the hold (all of them, when the hold is longer than the chunk interval).</summary>
    public required int ChunkedDuringHold { get; init; }

    /// <summary>Streams that failed to open or ended before the harness closed them; anything but 0 fails the run.</summary>
    public required int Errors { get; init; }

    public required IReadOnlyDictionary<string, long> ErrorKinds { get; init; }

    /// <summary>The harness's soft RLIMIT_NOFILE (inherited by the upstream and the target).</summary>
    public required long FileDescriptorLimit { get; init; }

    public IReadOnlyList<double>? RoundsKbPerStream { get; init; }
}
