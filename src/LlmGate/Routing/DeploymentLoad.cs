namespace LlmGate.Routing;

/// <summary>
/// What the strategies read about one deployment in this process: requests in flight (least-busy), a moving average
/// of latency (latency-based routing) and the requests of the current minute (rpm limit). Interlocked only.
/// </summary>
internal sealed class DeploymentLoad
{
    /// <summary>Weight of the newest sample in the latency average.</summary>
    public const double LatencySmoothing = 0.3;

    private int _inFlight;
    private long _latencyBits = BitConverter.DoubleToInt64Bits(-1);
    private long _minute = -1;
    private int _requestsThisMinute;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Moving average of the time to the response headers, in milliseconds; negative before the first sample.</summary>
    public double LatencyMs => BitConverter.Int64BitsToDouble(Volatile.Read(ref _latencyBits));

    public void Begin() => Interlocked.Increment(ref _inFlight);

    public void End() => Interlocked.Decrement(ref _inFlight);

    public void RecordLatency(TimeSpan latency)
    {
        var sample = latency.TotalMilliseconds;
        var previous = LatencyMs;
        var next = previous < 0 ? sample : previous + (LatencySmoothing * (sample - previous));

        // Last writer wins: a lost sample among concurrent ones does not change the average much.
        Volatile.Write(ref _latencyBits, BitConverter.DoubleToInt64Bits(next));
    }

    public int RequestsInMinute(long minute) => Volatile.Read(ref _minute) == minute ? Volatile.Read(ref _requestsThisMinute) : 0;

    public void CountRequest(long minute)
    {
        var seen = Volatile.Read(ref _minute);
        if (seen != minute && Interlocked.CompareExchange(ref _minute, minute, seen) == seen)
        {
            // The first request of a new minute starts the count again (a concurrent one may be lost: rpm is approximate).
            Interlocked.Exchange(ref _requestsThisMinute, 0);
        }

        Interlocked.Increment(ref _requestsThisMinute);
    }
}
