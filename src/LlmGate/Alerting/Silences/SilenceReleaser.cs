using LlmGate.Alerting.Delivery;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmGate.Alerting.Silences;

/// <summary>
/// Every second, ends the holds no active silence covers any more: a held trigger whose alert is still open is queued
/// in its lane then (had the alert resolved, its resolve would have dropped the hold, and nothing would be sent); a
/// held report is dropped, as a report sent late says nothing useful. Also forgets silences past their retention.
/// </summary>
internal sealed class SilenceReleaser : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly SqliteAlertOutbox _outbox;
    private readonly SilenceStore _store;
    private readonly AlertRoutes _routes;
    private readonly TimeProvider _time;
    private readonly ILogger<SilenceReleaser> _logger;

    // Created with the service, not in ExecuteAsync: the timer exists from start-up (see AlertDetector).
    private readonly PeriodicTimer _timer;

    public SilenceReleaser(SqliteAlertOutbox outbox, SilenceStore store, AlertRoutes routes, TimeProvider time, ILogger<SilenceReleaser> logger)
    {
        _timer = new PeriodicTimer(Interval, time);
        _outbox = outbox;
        _store = store;
        _routes = routes;
        _time = time;
        _logger = logger;
    }

    /// <summary>One pass; how many holds it ended. Exposed for tests.</summary>
    public int ReleaseOnce()
    {
        _store.Prune();
        var now = _time.GetUtcNow();
        var ended = 0;
        foreach (var held in _outbox.Held())
        {
            // The lane's kind is what silences match; a lane no longer configured keeps its name as its kind.
            var kind = _routes.Channel(held.Channel)?.Kind ?? held.Channel;
            if (_store.Matching(held.Labels, kind, now) is not null || !_outbox.EndHold(held, deliver: held.Resolvable))
            {
                continue;
            }

            ended++;
            if (held.Resolvable)
            {
                SilenceLog.HeldDelivered(_logger, held.Channel, held.DedupKey, held.SilenceId);
            }
            else
            {
                SilenceLog.HeldDropped(_logger, held.Channel, held.DedupKey, held.SilenceId);
            }
        }

        return ended;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            do
            {
                try
                {
                    ReleaseOnce();
                }
#pragma warning disable CA1031 // a failed pass (the file busy) is tried again on the next tick
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    SilenceLog.ReleaseFailed(_logger, exception);
                }
            }
            while (await _timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }
}
