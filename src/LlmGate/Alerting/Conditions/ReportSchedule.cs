using LlmGate.Alerting.Delivery;

namespace LlmGate.Alerting.Conditions;

/// <summary>
/// When a periodic report is due (every <c>daily_report_frequency</c>, counted from start-up), and the report that
/// could not be queued yet, so it is tried again next tick rather than lost or rebuilt.
/// </summary>
internal sealed class ReportSchedule(TimeSpan every, DateTimeOffset start)
{
    private AlertNotification? _pending;

    public TimeSpan Every { get; } = every;

    public DateTimeOffset PeriodStart { get; private set; } = start;

    public DateTimeOffset Due { get; private set; } = start + every;

    /// <summary>
    /// Once due: <paramref name="build"/> makes the report of the period (from, to) that just ended, null for none,
    /// and it is queued; one that could not be queued is tried again on the next call. Returns the report queued, if any.
    /// </summary>
    public AlertNotification? Tick(DateTimeOffset now, AlertNotifier notifier, Func<DateTimeOffset, DateTimeOffset, AlertNotification?> build)
    {
        ArgumentNullException.ThrowIfNull(notifier);
        ArgumentNullException.ThrowIfNull(build);
        if (_pending is null)
        {
            if (now < Due)
            {
                return null;
            }

            var from = PeriodStart;
            // The next period starts now: after a stall it does not catch up with reports of empty periods.
            PeriodStart = now;
            Due = now + Every;
            _pending = build(from, now);
            if (_pending is null)
            {
                return null;
            }
        }

        if (!notifier.TryEnqueue(_pending))
        {
            return null;
        }

        var queued = _pending;
        _pending = null;
        return queued;
    }
}
