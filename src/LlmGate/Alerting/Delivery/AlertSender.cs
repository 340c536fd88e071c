using System.Text.Json;
using LlmGate.Alerting.PagerDuty;
using LlmGate.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmGate.Alerting.Delivery;

/// <summary>
/// Delivers the outbox to PagerDuty oldest first (so a resolve never overtakes its trigger), one event at a time:
/// retries 429, 5xx, network errors and timeouts with <see cref="RetryBackoff"/> (honouring Retry-After), drops a
/// 400 with PagerDuty's errors in the log, and keeps under the rate limit with a <see cref="TokenBucket"/>.
/// Every wait runs on the <see cref="TimeProvider"/>. On shutdown it stops at once; what is pending stays queued.
/// </summary>
internal sealed class AlertSender : BackgroundService
{
    private static readonly TimeSpan LoopFailureDelay = TimeSpan.FromSeconds(5);

    private readonly SqliteAlertOutbox _outbox;
    private readonly PagerDutyClient _client;
    private readonly string _routingKey;
    private readonly DeliveryLog _deliveryLog;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertSender> _logger;
    private readonly RetryBackoff _backoff;
    private readonly TokenBucket _rateLimit;

    public AlertSender(
        SqliteAlertOutbox outbox,
        PagerDutyClient client,
        AlertingOptions options,
        DeliveryLog deliveryLog,
        TimeProvider time,
        ILogger<AlertSender> logger,
        RetryBackoff backoff)
    {
        ArgumentNullException.ThrowIfNull(options);
        _outbox = outbox;
        _client = client;
        _routingKey = options.PagerDuty!.RoutingKey;
        _deliveryLog = deliveryLog;
        _time = time;
        _logger = logger;
        _backoff = backoff;
        _rateLimit = new TokenBucket(time);
    }

    /// <summary>Called with the length of each timed wait (back-off, rate limit) once its timer is set: lets tests advance a fake clock.</summary>
    internal Action<TimeSpan>? TimedWaitStarted { get; set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // start-up of the host does not wait for the first SQLite read
        var pending = _outbox.Count();
        if (pending > 0)
        {
            AlertingLog.PendingAtStartup(_logger, pending);
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
#pragma warning disable CA1031 // the loop must survive anything (a locked file, a full disk) and try again
            catch (Exception exception)
#pragma warning restore CA1031
            {
                AlertingLog.SenderFailed(_logger, exception, LoopFailureDelay);
                await WaitAsync(LoopFailureDelay, stoppingToken);
            }
        }
    }

    /// <summary>One step: waits for work, for the next attempt's time or for a token, or makes one attempt.</summary>
    internal async Task DeliverNextAsync(CancellationToken cancellationToken)
    {
        var entry = _outbox.PeekOldest();
        if (entry is null)
        {
            await _outbox.WaitForEnqueueAsync(cancellationToken);
            return;
        }

        var untilDue = entry.NextAttemptAt - _time.GetUtcNow();
        if (untilDue > TimeSpan.Zero)
        {
            await WaitAsync(untilDue, cancellationToken);
            return;
        }

        if (!_rateLimit.TryTake(out var untilToken))
        {
            await WaitAsync(untilToken, cancellationToken);
            return;
        }

        var answer = await _client.SendAsync(PagerDutyEventBody.WithRoutingKey(entry.Body, _routingKey), cancellationToken);
        var attempts = entry.Attempts + 1;
        var description = Describe(answer);
        _deliveryLog.Record(new DeliveryResult(_time.GetUtcNow(), entry.Action, entry.DedupKey, answer.StatusCode, description));

        if (answer.IsSuccess)
        {
            _outbox.Delete(entry.Id);
            AlertingLog.EventDelivered(_logger, entry.Action, entry.DedupKey, answer.StatusCode!.Value, attempts);
        }
        else if (answer.IsRetryable)
        {
            var delay = _backoff.Next(attempts, answer.RetryAfter);
            _outbox.Reschedule(entry.Id, attempts, _time.GetUtcNow() + delay);
            AlertingLog.DeliveryRetry(_logger, entry.Action, entry.DedupKey, answer.StatusCode, description, attempts, delay);
        }
        else
        {
            // PagerDuty will refuse this body every time: retrying would only hold back the events behind it.
            _outbox.Delete(entry.Id);
            AlertingLog.EventRejected(_logger, entry.Action, entry.DedupKey, answer.StatusCode!.Value, description);
        }
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var wait = Task.Delay(delay, _time, cancellationToken);
        TimedWaitStarted?.Invoke(delay);
        await wait;
    }

    /// <summary>PagerDuty's message and errors array, or the network error; with the routing key taken out in any case.</summary>
    private string Describe(PagerDutyAnswer answer)
    {
        var text = answer.Error ?? ErrorsOf(answer.Body);
        return text.Replace(_routingKey, "[routing key]", StringComparison.Ordinal);
    }

    private static string ErrorsOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                var list = string.Join("; ", errors.EnumerateArray().Select(e => e.ToString()));
                return $"{message}: {list}";
            }

            return message ?? SecretScrubber.Truncate(body, 500);
        }
        catch (JsonException)
        {
            return SecretScrubber.Truncate(body, 500);
        }
    }
}
