namespace LlmGate.Bench.Soak;

/// <summary>The gateway at one moment of the soak, and the requests of each kind done so far.</summary>
internal sealed record SoakSample
{
    public required double Seconds { get; init; }

    /// <summary>VmRSS, read right after the probe's full collection.</summary>
    public required double RssMib { get; init; }

    /// <summary>The managed heap after a full compacting collection (the probe's); null if the probe did not answer.</summary>
    public double? GcHeapMib { get; init; }

    public required int Threads { get; init; }

    /// <summary>Methods the JIT has compiled so far (tiering up included); null if the probe did not answer.</summary>
    public long? JitMethods { get; init; }

    public required int Fds { get; init; }

    /// <summary>Clients' established connections to the gateway.</summary>
    public required int TcpInbound { get; init; }

    /// <summary>The gateway's established connections out: upstreams, PagerDuty.</summary>
    public required int TcpOutbound { get; init; }

    /// <summary>The gateway's sockets neither listening nor established (CLOSE_WAIT, FIN_WAIT...).</summary>
    public required int TcpOther { get; init; }

    public int TcpTotal => TcpInbound + TcpOutbound + TcpOther;

    public required IReadOnlyList<SoakKindCounts> Requests { get; init; }
}
