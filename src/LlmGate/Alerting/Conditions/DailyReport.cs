using System.Collections.Frozen;
using System.Globalization;
using LlmGate.Calls;
using LlmGate.Configuration;

namespace LlmGate.Alerting.Conditions;

/// <summary>
/// <c>daily_reports</c>: every <c>daily_report_frequency</c>, one report of the calls since the last one (LiteLLM's): the
/// top 5 deployments by failed requests and the top 5 by average latency per output token (by average latency when no
/// call reported its tokens). None for a period without traffic. Counting is a few interlocked adds per call.
/// </summary>
internal sealed class DailyReport : IConditionEvaluator
{
    public const string ClassName = "llmgate_daily_report";

    private readonly ConditionContext _context;
    private readonly FrozenDictionary<string, DeploymentTraffic> _traffic;
    private readonly ReportSchedule _schedule;

    public DailyReport(ConditionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _traffic = context.Catalog.Deployments.ToFrozenDictionary(p => p.Key, p => new DeploymentTraffic(p), StringComparer.Ordinal);
        _schedule = new ReportSchedule(context.Options.DailyReportFrequency, context.Time.GetUtcNow());
    }

    public string Type => AlertTypeNames.DailyReports;

    public void OnAttemptEnded(CallContext call, CallAttempt attempt)
    {
        if (attempt.Error is null && attempt.Status == 499)
        {
            return; // the client went away: neither the deployment's success nor its failure
        }

        Traffic(attempt.DeploymentId).Attempted(ConditionFailures.IsDeploymentFailure(attempt));
    }

    public void OnCallEnded(CallContext call)
    {
        if (call.Outcome == CallOutcome.Completed && call.CurrentAttempt is { } attempt)
        {
            Traffic(attempt.DeploymentId).Completed(_context.Time.GetElapsedTime(attempt.StartTimestamp).Ticks, call.Usage?.CompletionTokens ?? 0);
        }
    }

    public void Evaluate(DateTimeOffset now)
    {
        if (_schedule.Tick(now, _context.Notifier, Build) is { } report)
        {
            ConditionLog.ReportQueued(_context.Logger, Type, report.Notice!.Facts.Count, report.DedupKey);
        }
    }

    /// <summary>The report of the period (from, to); null when there was no traffic. Zeroes the counters.</summary>
    public AlertNotification? Build(DateTimeOffset from, DateTimeOffset to)
    {
        var totals = _traffic.Values.Select(t => t.Drain()).Where(t => t.Requests > 0 || t.Completed > 0).ToList();
        if (totals.Count == 0)
        {
            return null;
        }

        var requests = totals.Sum(t => t.Requests);
        var failures = totals.Sum(t => t.Failures);
        List<AlertFact> facts = [];
        var failing = totals.Where(t => t.Failures > 0).OrderByDescending(t => t.Failures).ThenBy(t => t.Problem.Key, StringComparer.Ordinal).Take(ConditionText.TopEntries).ToList();
        for (var i = 0; i < failing.Count; i++)
        {
            facts.Add(new($"Most failed requests #{i + 1}", $"{Name(failing[i].Problem)}: {ConditionText.Number(failing[i].Failures)} of {ConditionText.Number(failing[i].Requests)}"));
        }

        if (failing.Count == 0)
        {
            facts.Add(new("Most failed requests", "no deployment failed"));
        }

        var perToken = totals.Any(t => t.OutputTokens > 0);
        var slowest = (perToken ? totals.Where(t => t.OutputTokens > 0).OrderByDescending(t => t.SecondsPerOutputToken) : totals.Where(t => t.Completed > 0).OrderByDescending(t => t.AverageLatencySeconds))
            .ThenBy(t => t.Problem.Key, StringComparer.Ordinal).Take(ConditionText.TopEntries).ToList();
        for (var i = 0; i < slowest.Count; i++)
        {
            var value = perToken
                ? $"{slowest[i].SecondsPerOutputToken.ToString("0.######", CultureInfo.InvariantCulture)} s per output token"
                : $"{ConditionText.Seconds(slowest[i].AverageLatencySeconds)} s on average";
            facts.Add(new($"Slowest #{i + 1}", $"{Name(slowest[i].Problem)}: {value}"));
        }

        var notice = new AlertNotice(
            $"Daily report: {ConditionText.Number(requests)} requests to {totals.Count} deployment(s), {ConditionText.Number(failures)} failed, from {ConditionText.Time(from)} to {ConditionText.Time(to)}.",
            AlertSeverity.Info) { Facts = facts };
        return AlertNotification.Noticed(
            DedupKeys.ForReport(Type, from), Type, ClassName, "Daily report", notice, to, AlertLabels.Of(Type, ClassName, AlertScopes.Gateway, severity: AlertSeverity.Info))
            with { Resolvable = false };
    }

    private static string Name(ConditionProblem problem) => problem.ApiHost is { } host ? $"{problem.Display} at {host}" : problem.Display;

    private DeploymentTraffic Traffic(string deploymentId) => _traffic[_context.Catalog.Deployment(deploymentId).Key];
}
