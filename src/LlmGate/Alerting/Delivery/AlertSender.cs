using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmGate.Alerting.Delivery;

/// <summary>
/// Delivers one channel's lane of the outbox, oldest first (so a resolve never overtakes its trigger), one payload at a
/// time: retries what the channel calls retryable with <see cref="RetryBackoff"/> (honouring Retry-After), drops what it
/// refuses for good with its reason in the log, and keeps under the rate limit with a <see cref="TokenBucket"/>. Each
/// channel has its own sender, so one that fails or hangs delays no other. Every wait runs on the
/// <see cref="TimeProvider"/>. On a graceful stop the loop ends (a send in flight is cancelled) and what is due gets one
/// last attempt within <see cref="LastAttemptBudget"/>; what is still pending stays queued for the next start.
/// </summary>
internal sealed class AlertSender : BackgroundService
{
    private static readonly TimeSpan LoopFailureDelay = TimeSpan.FromSeconds(5);

    private readonly SqliteAlertOutbox _outbox;
    private readonly IAlertChannel _channel;
    private readonly DeliveryLog _deliveryLog;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertSender> _logger;
    private readonly RetryBackoff _backoff;
    private readonly TokenBucket _rateLimit;

    public AlertSender(
        SqliteAlertOutbox outbox,
        IAlertChannel channel,
        DeliveryLog deliveryLog,
        TimeProvider time,
        ILogger<AlertSender> logger,
        RetryBackoff backoff)
    {
        _outbox = outbox;
        _channel = channel;
        _deliveryLog = deliveryLog;
        _time = time;
        _logger = logger;
        _backoff = backoff;
        _rateLimit = new TokenBucket(time, channel.RateLimit);
    }

    /// <summary>
    /// How long the last attempt on a graceful stop may take, in real time: the orchestrator's kill deadline is real time
    /// whatever clock the sender's waits run on, and a channel that never answers must not hold the stop.
    /// </summary>
    internal TimeSpan LastAttemptBudget { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Called with the length of each timed wait (back-off, rate limit) once its timer is set: lets tests advance a fake clock.</summary>
    internal Action<TimeSpan>? TimedWaitStarted { get; set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // start-up of the host does not wait for the first SQLite read
        var pending = _outbox.Count(_channel.Name);
        if (pending > 0)
        {
            AlertingLog.PendingAtStartup(_logger, pending, _channel.Name);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DeliverNextAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the loop must survive anything (a locked file, a full disk, a channel's bug) and try again
            catch (Exception exception)
#pragma warning restore CA1031
            {
                AlertingLog.SenderFailed(_logger, exception, _channel.Name, LoopFailureDelay);
                await WaitAsync(LoopFailureDelay, stoppingToken);
            }
        }
    }

    /// <summary>One step: waits for work, for the next attempt's time or for a token, or makes one attempt.</summary>
    internal async Task DeliverNextAsync(CancellationToken cancellationToken)
    {
        var entry = _outbox.PeekOldest(_channel.Name);
        if (entry is null)
        {
            await _outbox.WaitForEnqueueAsync(_channel.Name, cancellationToken);
            return;
        }

        var untilDue = entry.NextAttemptAt - _time.GetUtcNow();
        if (untilDue > TimeSpan.Zero)
        {
            // Never longer than the longest back-off: a wall clock stepped backwards must not stall the lane.
            await WaitAsync(untilDue < RetryBackoff.MaxRetryAfter ? untilDue : RetryBackoff.MaxRetryAfter, cancellationToken);
            return;
        }

        if (!_rateLimit.TryTake(out var untilToken))
        {
            await WaitAsync(untilToken, cancellationToken);
            return;
        }

        await AttemptAsync(entry, cancellationToken);
    }

    /// <summary>
    /// After the loop has ended: what is queued and due is tried once more, oldest first while deliveries succeed (order
    /// is kept: a resolve never overtakes its trigger), within <see cref="LastAttemptBudget"/>. An entry backing off (a
    /// Retry-After, a failing channel) is left for the next start, as its channel asked.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(LastAttemptBudget);
        try
        {
            while (_outbox.PeekOldest(_channel.Name) is { } entry
                && entry.NextAttemptAt <= _time.GetUtcNow()
                && _rateLimit.TryTake(out _)
                && await AttemptAsync(entry, budget.Token))
            {
            }
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            AlertingLog.LastAttemptCut(_logger, _channel.Name, LastAttemptBudget);
        }
#pragma warning disable CA1031 // stopping must finish whatever the channel does; the entry stays in the outbox
        catch (Exception exception)
#pragma warning restore CA1031
        {
            AlertingLog.SenderFailed(_logger, exception, _channel.Name, TimeSpan.Zero);
        }
    }

    // One delivery attempt of the lane's oldest entry; true when it was delivered.
    private async Task<bool> AttemptAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var answer = await _channel.SendAsync(entry.Payload, cancellationToken);
        var attempts = entry.Attempts + 1;
        _deliveryLog.Record(new DeliveryResult(_time.GetUtcNow(), _channel.Name, entry.Action, entry.DedupKey, answer.Delivered, answer.StatusCode, answer.Description));

        if (answer.Delivered)
        {
            _outbox.Delete(entry.Id);
            AlertingLog.EventDelivered(_logger, _channel.Name, entry.Action, entry.DedupKey, answer.StatusCode, attempts);
        }
        else if (answer.Retryable)
        {
            var delay = _backoff.Next(attempts, answer.RetryAfter);
            _outbox.Reschedule(entry.Id, attempts, _time.GetUtcNow() + delay);
            AlertingLog.DeliveryRetry(_logger, _channel.Name, entry.Action, entry.DedupKey, answer.StatusCode, answer.Description, attempts, delay);
        }
        else
        {
            // The channel will refuse this payload every time: retrying would only hold back the ones behind it.
            _outbox.Delete(entry.Id);
            AlertingLog.EventRejected(_logger, _channel.Name, entry.Action, entry.DedupKey, answer.StatusCode, answer.Description);
        }

        return answer.Delivered;
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var wait = Task.Delay(delay, _time, cancellationToken);
        TimedWaitStarted?.Invoke(delay);
        await wait;
    }
}
