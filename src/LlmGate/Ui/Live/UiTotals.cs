namespace LlmGate.Ui.Live;

/// <summary>Counters summed over a span of seconds, and the percentiles of their histograms.</summary>
internal sealed class UiTotals
{
    private readonly long[] _latency = new long[UiHistogram.Buckets];
    private readonly long[] _firstToken = new long[UiHistogram.Buckets];

    public long Requests { get; private set; }

    public long Errors { get; private set; }

    public long Tokens { get; private set; }

    public double ErrorRate => Requests == 0 ? 0 : Math.Round((double)Errors / Requests, 4);

    public double? LatencyMs(double quantile) => UiHistogram.Percentile(_latency, quantile);

    public double? FirstTokenMs(double quantile) => UiHistogram.Percentile(_firstToken, quantile);

    public void Add(UiSecond second)
    {
        Requests += Interlocked.Read(ref second.Requests);
        Errors += Interlocked.Read(ref second.Errors);
        Tokens += Interlocked.Read(ref second.Tokens);
        for (var i = 0; i < _latency.Length; i++)
        {
            _latency[i] += Interlocked.Read(ref second.Latency[i]);
            _firstToken[i] += Interlocked.Read(ref second.FirstToken[i]);
        }
    }
}
