using System.Collections.Concurrent;
using System.Threading.Channels;

namespace LlmGate.Keys;

/// <summary>
/// Where the request path leaves what the spend writer must write: counters with unwritten spend (each queued once
/// until taken) and spend-log rows (a bounded channel: a store away for very long drops the oldest rows' successors,
/// counted, while spend itself is never dropped — it stays in the counters).
/// </summary>
internal sealed class SpendLedger(BudgetAlerts? alerts = null)
{
    public const int LogCapacity = 100_000;

    private readonly ConcurrentQueue<BudgetCounter> _queue = new();
    private readonly Channel<SpendLogRow> _logs = Channel.CreateBounded<SpendLogRow>(
        new BoundedChannelOptions(LogCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private long _droppedLogs;

    public long DroppedLogs => Interlocked.Read(ref _droppedLogs);

    public ChannelReader<SpendLogRow> Logs => _logs.Reader;

    public void Queue(BudgetCounter counter)
    {
        if (counter.TryQueue())
        {
            _queue.Enqueue(counter);
        }
    }

    public bool TryTake(out BudgetCounter counter)
    {
        if (_queue.TryDequeue(out counter!))
        {
            counter.Dequeued();
            return true;
        }

        return false;
    }

    public void Log(SpendLogRow row)
    {
        if (!_logs.Writer.TryWrite(row))
        {
            Interlocked.Increment(ref _droppedLogs);
        }
    }

    /// <summary>A keyed call was settled: budget alerts look at the key's new spend.</summary>
    public void Settled(CachedKey key, double cost)
    {
        if (cost > 0)
        {
            alerts?.Check(key);
        }
    }
}
