namespace LlmGate.Ui.Live;

/// <summary>
/// One second's counters in a ring: calls, failed calls, tokens and two log-bucket histograms (latency, time to first
/// token). Written with <see cref="Interlocked"/> on the request path; the first writer of a new second clears it, so a
/// write racing that clear may be lost: the console shows trends, not accounts.
/// </summary>
internal sealed class UiSecond
{
    public long Second = -1;
    public long Requests;
    public long Errors;
    public long Tokens;
    public readonly long[] Latency = new long[UiHistogram.Buckets];
    public readonly long[] FirstToken = new long[UiHistogram.Buckets];

    public void Clear()
    {
        Interlocked.Exchange(ref Requests, 0);
        Interlocked.Exchange(ref Errors, 0);
        Interlocked.Exchange(ref Tokens, 0);
        Array.Clear(Latency);
        Array.Clear(FirstToken);
    }
}
