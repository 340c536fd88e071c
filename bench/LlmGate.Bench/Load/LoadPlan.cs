namespace LlmGate.Bench.Load;

/// <summary>One closed-loop run: this many connections, each sending its next request when the last one ended.</summary>
internal sealed record LoadPlan
{
    public required int Concurrency { get; init; }

    /// <summary>Load before the measured window: connections open, pools fill, code is compiled; nothing is recorded.</summary>
    public required TimeSpan Warmup { get; init; }

    public required TimeSpan Duration { get; init; }

    /// <summary>Bound on the requests one run sends, warm-up included, whatever the duration.</summary>
    public long MaxRequests { get; init; } = 5_000_000;

    /// <summary>A response not complete after this long is an error and its connection is closed.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the requests in flight at the end of the window may take to finish before their connections are closed.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(5);
}
