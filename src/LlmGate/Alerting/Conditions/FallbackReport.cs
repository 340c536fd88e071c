using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using LlmGate.Calls;
using LlmGate.Configuration;

namespace LlmGate.Alerting.Conditions;

/// <summary>
/// <c>fallback_reports</c>: on the daily report's schedule, one report of the fallbacks taken since the last (a call
/// whose attempts ran in a model group other than the one requested): from → to, how many calls. None when there were
/// none. Pairs are of configured model groups (anything else is <c>(other)</c>), so the table stays bounded.
/// </summary>
internal sealed class FallbackReport : IConditionEvaluator
{
    public const string ClassName = "llmgate_fallback_report";

    private readonly ConditionContext _context;
    private readonly ConcurrentDictionary<(string From, string To), StrongBox<long>> _counts = new();
    private readonly ReportSchedule _schedule;

    public FallbackReport(ConditionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _schedule = new ReportSchedule(context.Options.DailyReportFrequency, context.Time.GetUtcNow());
    }

    public string Type => AlertTypeNames.FallbackReports;

    /// <summary>Request path: nothing for a call that made one attempt; each group fallen back to counts once per call.</summary>
    public void OnCallEnded(CallContext call)
    {
        if (call.ModelGroup is not { } requested || call.CurrentAttempt is not { Number: > 0 })
        {
            return;
        }

        var attempts = call.Attempts;
        for (var i = 0; i < attempts.Count; i++)
        {
            var to = attempts[i].ModelGroup;
            if (to == requested || SeenBefore(attempts, i, to))
            {
                continue;
            }

            var key = (_context.Catalog.ModelGroup(requested).Key, _context.Catalog.ModelGroup(to).Key);
            Interlocked.Increment(ref _counts.GetOrAdd(key, static _ => new StrongBox<long>()).Value);
        }
    }

    public void Evaluate(DateTimeOffset now)
    {
        if (_schedule.Tick(now, _context.Notifier, Build) is { } report)
        {
            ConditionLog.ReportQueued(_context.Logger, Type, report.Notice!.Facts.Count, report.DedupKey);
        }
    }

    /// <summary>The report of the period (from, to); null when no call fell back. Zeroes the counts.</summary>
    public AlertNotification? Build(DateTimeOffset from, DateTimeOffset to)
    {
        var taken = _counts
            .Select(p => (p.Key.From, p.Key.To, Count: Interlocked.Exchange(ref p.Value.Value, 0)))
            .Where(p => p.Count > 0)
            .OrderByDescending(p => p.Count).ThenBy(p => p.From, StringComparer.Ordinal).ThenBy(p => p.To, StringComparer.Ordinal)
            .ToList();
        if (taken.Count == 0)
        {
            return null;
        }

        var total = taken.Sum(p => p.Count);
        var notice = new AlertNotice(
            $"Fallback report: {ConditionText.Number(total)} fallback(s) from {ConditionText.Time(from)} to {ConditionText.Time(to)}.",
            AlertSeverity.Info)
        {
            Facts = [.. taken.Select(p => new AlertFact($"{p.From} → {p.To}", $"{ConditionText.Number(p.Count)} call(s)"))],
        };
        return AlertNotification.Noticed(
            DedupKeys.ForReport(Type, from), Type, ClassName, "Fallback report", notice, to, AlertLabels.Of(Type, ClassName, AlertScopes.Gateway, severity: AlertSeverity.Info))
            with { Resolvable = false };
    }

    private static bool SeenBefore(IReadOnlyList<CallAttempt> attempts, int index, string group)
    {
        for (var i = 0; i < index; i++)
        {
            if (attempts[i].ModelGroup == group)
            {
                return true;
            }
        }

        return false;
    }
}
