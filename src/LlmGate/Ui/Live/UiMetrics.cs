using System.Collections.Concurrent;
using LlmGate.Calls;

namespace LlmGate.Ui.Live;

/// <summary>
/// The console's traffic figures, written on the request path in O(1): a few <see cref="Interlocked"/> operations into
/// the current second of a 15-minute ring (calls, failed calls, latency and time-to-first-token histograms) and into
/// the deployment's own counters. Read once a second by <see cref="UiSnapshots"/>, never per viewer.
/// </summary>
internal sealed class UiMetrics(TimeProvider time) : ICallObserver
{
    public const int RingSeconds = 900;

    /// <summary>Deployments tracked at most (the configured ones, and what a reload adds); past it, new ids are not counted.</summary>
    public const int MaxDeployments = 2_000;

    private readonly UiSecondRing _ring = new(RingSeconds);
    private readonly ConcurrentDictionary<string, UiDeploymentCounters> _deployments = new(StringComparer.Ordinal);

    public void OnCallStarted(CallContext call)
    {
    }

    public void OnAttemptStarted(CallContext call, CallAttempt attempt)
    {
    }

    public void OnProgress(CallContext call, long previousProgress, long now)
    {
    }

    public void OnAttemptEnded(CallContext call, CallAttempt attempt)
    {
        if (Deployment(attempt.DeploymentId) is not { } counters)
        {
            return;
        }

        var now = time.GetUtcNow();
        var latency = time.GetElapsedTime(attempt.StartTimestamp, attempt.EndTimestamp ?? time.GetTimestamp());
        counters.Attempted(now.ToUnixTimeSeconds(), latency, attempt.Status, attempt.Error, now);
    }

    public void OnCallEnded(CallContext call)
    {
        var now = time.GetTimestamp();
        var second = time.GetUtcNow().ToUnixTimeSeconds();
        if (_ring.ForWrite(second) is not { } slot)
        {
            return;
        }

        Interlocked.Increment(ref slot.Requests);
        if (call.Outcome == CallOutcome.Failed && call.Failure?.Kind != FailureKind.Refused)
        {
            Interlocked.Increment(ref slot.Errors);
        }

        Interlocked.Increment(ref slot.Latency[UiHistogram.BucketOf(time.GetElapsedTime(call.StartTimestamp, now).TotalMilliseconds)]);
        if (call.Stream && call.CurrentAttempt?.FirstChunkTimestamp is { } firstChunk)
        {
            Interlocked.Increment(ref slot.FirstToken[UiHistogram.BucketOf(time.GetElapsedTime(call.StartTimestamp, firstChunk).TotalMilliseconds)]);
        }

        if (call.Usage is { } usage && call.CurrentAttempt is { } attempt && Deployment(attempt.DeploymentId) is { } counters)
        {
            Interlocked.Add(ref slot.Tokens, usage.TotalTokens);
            counters.Used(second, usage.TotalTokens);
        }
    }

    /// <summary>Totals over the seconds <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), Unix seconds.</summary>
    public UiTotals Sum(long from, long to) => Sum(_ring, from, to);

    /// <summary>A deployment's counters, or null when it never had an attempt.</summary>
    public UiDeploymentCounters? Find(string deploymentId) => _deployments.GetValueOrDefault(deploymentId);

    public static UiTotals Sum(UiSecondRing ring, long from, long to)
    {
        from = Math.Max(from, to - ring.Length);
        var totals = new UiTotals();
        for (var second = from; second < to; second++)
        {
            if (ring.ForRead(second) is { } slot)
            {
                totals.Add(slot);
            }
        }

        return totals;
    }

    private UiDeploymentCounters? Deployment(string id)
    {
        if (_deployments.TryGetValue(id, out var counters))
        {
            return counters;
        }

        return _deployments.Count >= MaxDeployments ? null : _deployments.GetOrAdd(id, static _ => new UiDeploymentCounters());
    }
}
