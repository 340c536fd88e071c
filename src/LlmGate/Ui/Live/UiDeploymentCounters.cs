using LlmGate.Calls;

namespace LlmGate.Ui.Live;

/// <summary>
/// One deployment's counters: attempts, failures by status (a fixed set of statuses and "other"), latency, and the
/// last minute second by second (for rpm/tpm use and health), plus its last few failures. Interlocked writes only.
/// </summary>
internal sealed class UiDeploymentCounters
{
    /// <summary>The statuses counted one by one; anything else is "other".</summary>
    public static readonly int[] Statuses = [400, 401, 403, 404, 408, 413, 422, 429, 500, 502, 503, 504, 529];

    public const int RecentFailures = 5;

    private readonly long[] _failures = new long[Statuses.Length + 1];
    private readonly UiRecentFailure?[] _recent = new UiRecentFailure?[RecentFailures];
    private long _calls;
    private long _latencyTicks;
    private int _nextRecent = -1;

    public UiSecondRing LastMinute { get; } = new(60);

    public long Calls => Interlocked.Read(ref _calls);

    public double? MeanLatencyMs
    {
        get
        {
            var calls = Calls;
            return calls == 0 ? null : TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks) / calls).TotalMilliseconds;
        }
    }

    public void Attempted(long second, TimeSpan latency, int status, FailureKind? error, DateTimeOffset now)
    {
        Interlocked.Increment(ref _calls);
        Interlocked.Add(ref _latencyTicks, latency.Ticks);
        var slot = LastMinute.ForWrite(second);
        if (slot is not null)
        {
            Interlocked.Increment(ref slot.Requests);
            Interlocked.Increment(ref slot.Latency[UiHistogram.BucketOf(latency.TotalMilliseconds)]);
        }

        if (error is { } kind && kind != FailureKind.Refused)
        {
            var index = Array.IndexOf(Statuses, status);
            Interlocked.Increment(ref _failures[index < 0 ? Statuses.Length : index]);
            if (slot is not null)
            {
                Interlocked.Increment(ref slot.Errors);
            }

            // A failure allocates its small record; successes never do.
            var at = (int)((uint)Interlocked.Increment(ref _nextRecent) % RecentFailures);
            Volatile.Write(ref _recent[at], new UiRecentFailure(now, status, kind));
        }
    }

    public void Used(long second, long tokens)
    {
        if (LastMinute.ForWrite(second) is { } slot)
        {
            Interlocked.Add(ref slot.Tokens, tokens);
        }
    }

    /// <summary>Failures so far by status label ("503", "other"), only the statuses seen.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> FailuresByStatus()
    {
        var seen = new List<KeyValuePair<string, long>>();
        for (var i = 0; i < _failures.Length; i++)
        {
            var count = Interlocked.Read(ref _failures[i]);
            if (count > 0)
            {
                seen.Add(new(i < Statuses.Length ? Statuses[i].ToString(System.Globalization.CultureInfo.InvariantCulture) : "other", count));
            }
        }

        return seen;
    }

    /// <summary>The last failures, newest first.</summary>
    public IReadOnlyList<UiRecentFailure> Recent() =>
        [.. _recent.Select(r => Volatile.Read(ref r)).OfType<UiRecentFailure>().OrderByDescending(r => r.At)];
}
