using LlmGate.Alerting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmGate.Ui.Live;

/// <summary>
/// Builds the console's snapshot once a second (on the <see cref="TimeProvider"/>'s timer) and wakes every viewer:
/// one build, one serialisation, the same bytes for all; a viewer costs a wait on a shared signal, nothing more. An
/// incident this gateway opens or resolves is built and pushed at once (<see cref="IncidentChanges"/>), not at the tick.
/// </summary>
internal sealed class UiSnapshots(UiSnapshotBuilder builder, TimeProvider time, ILogger<UiSnapshots> logger, IncidentChanges? incidentChanges = null)
    : BackgroundService
{
    public const int MaxViewers = 100;
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private UiFrame? _current;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _viewers;

    // Created with the service, not in ExecuteAsync (which runs on its own thread whenever it gets there): the timer
    // exists from start-up, so the first tick is due one interval later and no timer appears mid-run.
    private readonly PeriodicTimer _timer = new(Interval, time);

    /// <summary>The latest frame; built now if the timer has not made one yet (the first page of a fresh start).</summary>
    public UiFrame Current => Volatile.Read(ref _current) ?? Refresh();

    public int Viewers => Volatile.Read(ref _viewers);

    public bool TryAddViewer()
    {
        if (Interlocked.Increment(ref _viewers) <= MaxViewers)
        {
            return true;
        }

        Interlocked.Decrement(ref _viewers);
        return false;
    }

    public void RemoveViewer() => Interlocked.Decrement(ref _viewers);

    /// <summary>Completes when a frame newer than <paramref name="sequence"/> exists.</summary>
    public Task WaitForNewerAsync(long sequence, CancellationToken cancellationToken)
    {
        Task next;
        lock (_gate)
        {
            if (_current is { } current && current.Snapshot.Sequence > sequence)
            {
                return Task.CompletedTask;
            }

            next = _next.Task;
        }

        return next.WaitAsync(cancellationToken);
    }

    /// <summary>Builds a frame now and wakes the viewers.</summary>
    public UiFrame Refresh()
    {
        var frame = builder.Build();
        TaskCompletionSource woken;
        lock (_gate)
        {
            if (_current is { } current && current.Snapshot.Sequence > frame.Snapshot.Sequence)
            {
                return current; // a concurrent build finished later with an older sequence: keep the newer
            }

            _current = frame;
            woken = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        woken.TrySetResult();
        return frame;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var tick = _timer.WaitForNextTickAsync(stoppingToken).AsTask();
        while (true)
        {
            var changed = incidentChanges?.Next; // read before the build: a change during it wakes the next one
            try
            {
                Refresh();
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                UiLog.SnapshotFailed(logger, exception);
            }

            // A change between ticks builds a frame and leaves the tick where it was.
            if (changed is null || await Task.WhenAny(tick, changed).ConfigureAwait(false) == tick)
            {
                try
                {
                    if (!await tick.ConfigureAwait(false))
                    {
                        return;
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return; // stopped: also when the start failed, where the host would log it as a crash
                }

                tick = _timer.WaitForNextTickAsync(stoppingToken).AsTask();
            }
        }
    }

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }
}
