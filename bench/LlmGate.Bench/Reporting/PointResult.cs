namespace LlmGate.Bench.Reporting;

/// <summary>One target at one scenario and concurrency: what the window measured, and how it compares.</summary>
internal sealed record PointResult
{
    public required string Target { get; init; }

    public required string Scenario { get; init; }

    public required int Concurrency { get; init; }

    public required double WindowSeconds { get; init; }

    public required long Requests { get; init; }

    public required double RequestsPerSecond { get; init; }

    public required LatencySummary? LatencyMs { get; init; }

    /// <summary>Request sent to first body byte; for streams, the first chunk. Null for plain calls.</summary>
    public LatencySummary? FirstChunkMs { get; init; }

    public required long Errors { get; init; }

    public required IReadOnlyDictionary<string, long> ErrorKinds { get; init; }

    /// <summary>The target process's VmHWM during the window (reset when it opened), in MiB.</summary>
    public required double PeakRssMib { get; init; }

    /// <summary>False where the peak could not be reset: it is then the process's peak since start.</summary>
    public required bool PeakRssIsWindowPeak { get; init; }

    /// <summary>The target process's user + system CPU per 1,000 completed requests, in milliseconds.</summary>
    public required double CpuMsPer1kRequests { get; init; }

    /// <summary>The target's CPU use during the window, in cores (1.0 = one core fully busy).</summary>
    public required double TargetCpuCores { get; init; }

    /// <summary>The load generator's CPU use during the window, in cores: near 1.0 would make it the bottleneck.</summary>
    public required double GeneratorCpuCores { get; init; }

    /// <summary>
    /// CPU the rest of the machine used during the window, in cores: busy time from <c>/proc/stat</c> minus the target,
    /// the fake upstream and the harness. Well above 0.1 means something else competed for the two cores.
    /// </summary>
    public required double OtherProcessesCpuCores { get; init; }

    /// <summary>
    /// Bytes the target's runtime allocated during the window (<c>GC.GetTotalAllocatedBytes(precise: true)</c>, read by
    /// the probe at the window's start and end) over the requests completed in it. Null where the probe did not load.
    /// </summary>
    public double? AllocatedBytesPerRequest { get; init; }

    /// <summary>Gen0 (and gen1, gen2) collections during the window per 1,000 completed requests (a gen1 collection counts as gen0 too).</summary>
    public double? Gen0Per1kRequests { get; init; }

    public double? Gen1Per1kRequests { get; init; }

    public double? Gen2Per1kRequests { get; init; }

    /// <summary>The GC heap at the window's end (after its last collection), in MiB.</summary>
    public double? HeapMibEnd { get; init; }

    /// <summary>What the GC held from the OS at the window's end (the heap and its free regions), in MiB.</summary>
    public double? GcCommittedMibEnd { get; init; }

    /// <summary>The target's OS threads (<c>/proc/self/status</c>) and thread-pool threads at the window's end; the probe's own thread included.</summary>
    public int? ThreadsEnd { get; init; }

    public int? ThreadPoolThreadsEnd { get; init; }

    /// <summary>The target's open file descriptors at the window's end.</summary>
    public int? OpenFdsEnd { get; init; }

    /// <summary>With several rounds, every round's req/s and CPU per 1,000 requests; this point is the round with the median req/s.</summary>
    public IReadOnlyList<double>? RoundsRequestsPerSecond { get; init; }

    public IReadOnlyList<double>? RoundsCpuMsPer1kRequests { get; init; }

    /// <summary>This target's p50 minus the direct target's at the same scenario and concurrency.</summary>
    public double? AddedP50Ms { get; init; }

    public double? AddedP99Ms { get; init; }

    /// <summary>This target's requests per second over the bare proxy's at the same scenario and concurrency.</summary>
    public double? ThroughputVsBareProxy { get; init; }

    /// <summary>This target's CPU per request over the bare proxy's.</summary>
    public double? CpuVsBareProxy { get; init; }
}
