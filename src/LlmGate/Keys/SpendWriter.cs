using System.Globalization;
using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;
using LlmGate.Configuration;
using LlmGate.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmGate.Keys;

/// <summary>
/// The one loop that talks to the key store for the request path, a round every <see cref="Tick"/>: writes what the
/// ledger holds (every <c>proxy_batch_write_at</c>, 0.5 s by default, so a killed gateway loses under a second), then
/// reads what changed in the store every <see cref="ChangePollInterval"/> (other replicas' spend, keys changed
/// elsewhere) and reloads it. A batch that fails is
/// kept and retried as it is, so the store applies it once; while the store is away the gateway is degraded, and
/// after <see cref="Grace"/> on-call gets one warning.
/// </summary>
internal sealed class SpendWriter(
    IKeyStore store,
    KeyDirectory directory,
    SpendLedger ledger,
    KeyStoreHealth health,
    GatewaySnapshotSource snapshots,
    TimeProvider time,
    ILogger<SpendWriter> logger,
    AlertNotifier? notifier = null,
    KeyChangeBroadcast? broadcast = null) : BackgroundService
{
    public const string ClassName = "llmgate_key_database_unreachable";
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan ChangePollInterval = TimeSpan.FromMilliseconds(250);
    private const int MaxLogsPerBatch = 5_000;
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    /// <summary>How often budgets whose period ended are looked for (LiteLLM's reset job runs about every 10 minutes).</summary>
    public static readonly TimeSpan BudgetResetEvery = TimeSpan.FromMinutes(1);

    private (SpendBatch Batch, List<(BudgetCounter Counter, double Amount, int Period)> Taken)? _pending;
    private long _changesSeen;
    private bool _changesStarted;
    private bool _noticed;
    private long _droppedReported;
    private DateTimeOffset _lastFlush;
    private DateTimeOffset _lastPoll;
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;
    private DateTimeOffset _lastBudgetReset = DateTimeOffset.MinValue;

    private PeriodicTimer? _timer;

    // One round at a time: the loop's, the stop's, or one a caller asks for (FlushNowAsync). Never disposed: a start
    // that fails (a port in use) disposes the service while a round may still be running, whose release would then
    // throw; without its wait handle ever asked for, a SemaphoreSlim holds nothing to free.
#pragma warning disable CA2213
    private readonly SemaphoreSlim _round = new(1, 1);
#pragma warning restore CA2213

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the gateway listens: a store that answers at once is ready for the first request. The timer is made
        // here too, not on the thread ExecuteAsync runs on, so it exists from the start (tests driving a fake clock
        // count on the timers a started gateway has).
        await RoundAsync(flush: false, cancellationToken);
        _timer = new PeriodicTimer(Tick, time);
        await base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // A graceful stop writes everything it holds.
        await RoundAsync(flush: true, cancellationToken);
    }

    /// <summary>
    /// Writes what the ledger holds now, between the loop's rounds: for a change that must see every call's spend in
    /// the store first (a key regenerated moves its spend to the new hash; spend still held for the old one would be
    /// written to a hash that no longer exists). A store that does not answer leaves it held, as the loop would.
    /// </summary>
    public Task FlushNowAsync(CancellationToken cancellationToken) => RoundAsync(flush: true, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timer = _timer ?? throw new InvalidOperationException("started without StartAsync");
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var due = time.GetUtcNow() - _lastFlush >= snapshots.Current.Config.Spend.BatchWriteInterval;
                await RoundAsync(due, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // One round: migrate if not yet, write (when flush), read changes, prune.
    private async Task RoundAsync(bool flush, CancellationToken cancellationToken)
    {
        await _round.WaitAsync(cancellationToken);
        try
        {
            await RoundAloneAsync(flush, cancellationToken);
        }
        finally
        {
            _round.Release();
        }
    }

    private async Task RoundAloneAsync(bool flush, CancellationToken cancellationToken)
    {
        broadcast?.EnsureSubscribed();
        try
        {
            if (!_changesStarted)
            {
                await store.MigrateAsync(cancellationToken);
                // Nothing is held yet, so changes made before now matter to nobody: skip to the end.
                _changesSeen = await FollowChangesAsync(0, reload: false, cancellationToken);
                _changesStarted = true;
                KeysLog.StoreReady(logger, store.Kind);
            }

            if (flush)
            {
                _lastFlush = time.GetUtcNow();
                while (await FlushAsync(cancellationToken))
                {
                    // Catching up after an outage: write until the ledger is empty.
                }
            }

            if (flush || time.GetUtcNow() - _lastPoll >= ChangePollInterval)
            {
                _lastPoll = time.GetUtcNow();
                _changesSeen = await FollowChangesAsync(_changesSeen, reload: true, cancellationToken);
            }

            await PruneAsync(cancellationToken);
            await ResetDueBudgetsAsync(cancellationToken);
            if (health.ReportSuccess())
            {
                KeysLog.StoreRecovered(logger, store.Kind);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Whatever went wrong, the loop lives on: what it holds stays held and is written when the store answers.
            var reason = exception is KeyStoreException ? exception.Message : $"{exception.GetType().Name}: {exception.Message}";
            if (health.ReportFailure(reason))
            {
                KeysLog.StoreUnavailable(logger, store.Kind, reason);
            }
        }

        Notice();
        if (ledger.DroppedLogs is var dropped && dropped > _droppedReported)
        {
            KeysLog.SpendLogsDropped(logger, dropped - _droppedReported);
            _droppedReported = dropped;
        }
    }

    // True when a full batch was written and more may be waiting.
    private async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        var pending = _pending ??= Take();
        if (pending is not { } batch)
        {
            return false;
        }

        await store.ApplySpendAsync(batch.Batch, cancellationToken);
        _pending = null;
        foreach (var (counter, amount, period) in batch.Taken)
        {
            counter.Committed(amount, period);
        }

        return batch.Batch.Logs.Count == MaxLogsPerBatch;
    }

    private (SpendBatch, List<(BudgetCounter, double, int)>)? Take()
    {
        List<(BudgetCounter, double, int)> taken = [];
        List<SpendIncrement> increments = [];
        List<BudgetReset> resets = [];
        while (ledger.TryTake(out var counter))
        {
            var (amount, reset, period) = counter.TakeUnflushed();
            if (reset is not null)
            {
                resets.Add(reset);
            }

            if (amount != 0)
            {
                increments.Add(new SpendIncrement(counter.Kind, counter.Id, amount));
                taken.Add((counter, amount, period));
            }
        }

        List<SpendLogRow> logs = [];
        while (logs.Count < MaxLogsPerBatch && ledger.Logs.TryRead(out var row))
        {
            logs.Add(row);
        }

        if (increments.Count == 0 && resets.Count == 0 && logs.Count == 0)
        {
            return null;
        }

        return (new SpendBatch(Guid.NewGuid(), resets, increments, logs), taken);
    }

    // Reads the store's changes after `after`, page by page (the store gives at most 1000 at a time), reloading each
    // held entity they name when `reload`; returns where the next read starts.
    private async Task<long> FollowChangesAsync(long after, bool reload, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changes = await store.ChangesSinceAsync(after, cancellationToken);
            if (reload)
            {
                foreach (var change in changes.Changes.Distinct())
                {
                    await directory.ReloadAsync(change, withSpend: true, cancellationToken);
                }
            }

            after = Math.Max(after, changes.LastSequence);
            if (changes.Changes.Count < 1000)
            {
                return after;
            }
        }
    }

    // LiteLLM's budget reset job: a key, team or user whose period ended starts the next one in the store even when
    // nobody uses it, so /key/info and the console show it. A budget in use resets itself in memory at its next call
    // (BudgetCounter); the store applies a reset only while budget_reset_at is still the expected one, so this job, those
    // counters and other replicas reset a period once. The store's change then reloads the counters held here.
    private async Task ResetDueBudgetsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now - _lastBudgetReset < BudgetResetEvery)
        {
            return;
        }

        _lastBudgetReset = now;
        if (await store.DueBudgetResetsAsync(now, cancellationToken) is { Count: > 0 } due)
        {
            await store.ApplySpendAsync(new SpendBatch(Guid.NewGuid(), due, [], []), cancellationToken);
        }
    }

    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (snapshots.Current.Config.Spend.SpendLogsRetention is not { } retention || now - _lastPrune < PruneEvery)
        {
            return;
        }

        _lastPrune = now;
        var cutoff = now - (retention.After(now) - now);
        var deleted = await store.DeleteSpendLogsBeforeAsync(cutoff, cancellationToken);
        if (deleted > 0)
        {
            KeysLog.SpendLogsPruned(logger, deleted, retention.ToString());
        }
    }

    private void Notice()
    {
        if (notifier is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        var dedupKey = DedupKeys.ForKeyDatabase(store.Kind);
        if (health.UnavailableSince is not { } since)
        {
            if (_noticed && notifier.TryEnqueue(AlertNotification.Resolved(dedupKey, ClassName, now)))
            {
                _noticed = false;
            }

            return;
        }

        if (!_noticed && now - since >= Grace)
        {
            var summary = $"LlmGate cannot reach its key database ({store.Kind}) since {since.ToString("u", CultureInfo.InvariantCulture)}: "
                + "keys in use keep working on budgets in memory, new keys are refused, spend is kept and written when it returns.";
            _noticed = notifier.TryEnqueue(AlertNotification.Noticed(
                dedupKey, AlertTypeNames.DbExceptions, ClassName, "Key database unreachable", new AlertNotice(summary, AlertSeverity.Warning), now));
        }
    }
}
