using System.Diagnostics;

namespace LlmGate.Bench.Load;

/// <summary>
/// A closed-loop load run against one endpoint: <see cref="LoadPlan.Concurrency"/> connections, each sending its next
/// request as soon as its last response has ended, for a warm-up and then a measured window. Only responses that
/// end inside the window are counted. Bounded in count (<see cref="LoadPlan.MaxRequests"/>) and in time
/// (warm-up + window + drain).
/// </summary>
internal sealed class LoadRun
{
    private readonly LoadPlan _plan;
    private readonly Lock _errorsLock = new();
    private readonly Dictionary<string, long> _errorKinds = new(StringComparer.Ordinal);
    private readonly LatencyHistogram _latency = new();
    private readonly LatencyHistogram _firstChunk = new();
    private long _issued;
    private long _completed;
    private long _errors;
    private long _windowStart = long.MaxValue;
    private long _windowEnd = long.MaxValue;

    public LoadRun(LoadRequest request, LoadPlan plan)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(plan.Concurrency, 1);
        Request = request;
        _plan = plan;
    }

    public LoadRequest Request { get; }

    /// <param name="windowStarting">Called right before the window opens (e.g. to sample the target's CPU and reset its peak RSS).</param>
    /// <param name="windowEnded">Called right after the window closes, before the drain.</param>
    public async Task<LoadResult> RunAsync(Action? windowStarting = null, Action? windowEnded = null)
    {
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, _plan.Concurrency).Select(_ => new LoadWorker(this)).ToArray();
        var tasks = workers.Select(w => Task.Run(() => w.RunAsync(stop.Token))).ToArray();
        using var watchdog = StartWatchdog(workers);

        await Task.Delay(_plan.Warmup);
        windowStarting?.Invoke();
        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        Volatile.Write(ref _windowStart, Stopwatch.GetTimestamp());
        await Task.Delay(_plan.Duration);
        Volatile.Write(ref _windowEnd, Stopwatch.GetTimestamp());
        var cpuEnd = Process.GetCurrentProcess().TotalProcessorTime;
        windowEnded?.Invoke();
        await stop.CancelAsync();

        var all = Task.WhenAll(tasks);
        if (await Task.WhenAny(all, Task.Delay(_plan.Drain)) != all)
        {
            foreach (var worker in workers)
            {
                worker.Abort(timedOut: false);
            }
        }

        await all;
        var window = Stopwatch.GetElapsedTime(_windowStart, _windowEnd);
        lock (_errorsLock)
        {
            return new LoadResult
            {
                Window = window,
                Completed = Interlocked.Read(ref _completed),
                Errors = Interlocked.Read(ref _errors),
                ErrorKinds = new Dictionary<string, long>(_errorKinds, StringComparer.Ordinal),
                Latency = _latency,
                FirstChunk = _firstChunk,
                GeneratorCpuShare = (cpuEnd - cpuStart) / window,
            };
        }
    }

    internal bool TryIssue() => Interlocked.Increment(ref _issued) <= _plan.MaxRequests;

    internal void RecordResponse(long start, long end, ExchangeResult result)
    {
        var valid = result.Status is >= 200 and < 300 && (!Request.Stream || result.EndsWithDone);
        if (!valid)
        {
            RecordError(end, result.Status is >= 200 and < 300 ? "stream did not end with [DONE]" : $"HTTP {result.Status}");
            return;
        }

        if (!InWindow(end))
        {
            return;
        }

        Interlocked.Increment(ref _completed);
        _latency.Record(ToNanoseconds(end - start));
        if (result.FirstBodyTimestamp != 0)
        {
            _firstChunk.Record(ToNanoseconds(result.FirstBodyTimestamp - start));
        }
    }

    internal void RecordError(long end, string kind)
    {
        if (!InWindow(end))
        {
            return;
        }

        Interlocked.Increment(ref _errors);
        lock (_errorsLock)
        {
            _errorKinds[kind] = _errorKinds.GetValueOrDefault(kind) + 1;
        }
    }

    private bool InWindow(long timestamp) => timestamp >= Volatile.Read(ref _windowStart) && timestamp < Volatile.Read(ref _windowEnd);

    private static long ToNanoseconds(long ticks) => (long)(ticks * (1_000_000_000.0 / Stopwatch.Frequency));

    private ITimer StartWatchdog(LoadWorker[] workers)
    {
        var timeoutTicks = (long)(_plan.RequestTimeout.TotalSeconds * Stopwatch.Frequency);
        return TimeProvider.System.CreateTimer(
            _ =>
            {
                var now = Stopwatch.GetTimestamp();
                foreach (var worker in workers)
                {
                    worker.AbortIfOlderThan(now, timeoutTicks);
                }
            },
            null,
            TimeSpan.FromMilliseconds(250),
            TimeSpan.FromMilliseconds(250));
    }
}
