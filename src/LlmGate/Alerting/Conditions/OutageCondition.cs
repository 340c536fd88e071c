using System.Collections.Frozen;
using LlmGate.Calls;
using LlmGate.Configuration;

namespace LlmGate.Alerting.Conditions;

/// <summary>
/// <c>outage_alerts</c> (per deployment) and <c>region_outage_alerts</c> (per provider region): every attempt that
/// failed with 408 or 5xx, a timeout or a connection failure, retried ones included, counted in a sliding window.
/// <c>minor_outage_alert_threshold</c> in the window triggers "⚠️ Minor Service Outage", the major threshold one more
/// trigger with the same dedup key, each once per outage; a full window without such a failure resolves it. Per
/// region, only when more than one of its deployments failed in the window (LiteLLM's rule); deployments without a
/// region (<c>region_name</c>, <c>aws_region_name</c>, <c>vertex_location</c>) are not counted there.
/// </summary>
internal sealed class OutageCondition : IConditionEvaluator, IConditionDescriber
{
    public const string DeploymentClassName = "llmgate_outage";
    public const string RegionClassName = "llmgate_region_outage";

    private readonly ConditionContext _context;
    private readonly bool _perRegion;
    private readonly TimeSpan _window;
    private readonly ActivityMap _activity;
    private readonly FrozenDictionary<string, SlidingWindow> _windows;

    // The windows judged at a tick are those that ended since the tick before (SlidingWindow.Peak), so a burst the
    // tick falls in the middle of counts whole.
    private DateTimeOffset _previousTick;
    private DateTimeOffset _lastTick;

    public OutageCondition(ConditionContext context, bool perRegion)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _perRegion = perRegion;
        _window = perRegion ? context.Options.RegionOutageWindow : context.Options.OutageWindow;
        var problems = perRegion ? context.Catalog.Regions : context.Catalog.Deployments.ToList();
        _activity = new ActivityMap(problems);
        _windows = problems.ToFrozenDictionary(p => p.Key, _ => new SlidingWindow(_window), StringComparer.Ordinal);
        Type = perRegion ? AlertTypeNames.RegionOutageAlerts : AlertTypeNames.OutageAlerts;
        Tracker = new ConditionTracker(Type, perRegion ? RegionClassName : DeploymentClassName, this, context);
        Tracker.Restore(_window);
        _previousTick = _lastTick = context.Time.GetUtcNow();
    }

    public string Type { get; }

    public string Occurrences => "failures";

    public ConditionTracker Tracker { get; }

    /// <summary>Request path: nothing for an attempt that succeeded or failed for the client's own reasons.</summary>
    public void OnAttemptEnded(CallContext call, CallAttempt attempt)
    {
        if (!ConditionFailures.IsOutage(attempt))
        {
            return;
        }

        var deployment = _context.Catalog.Deployment(attempt.DeploymentId);
        var problem = _perRegion ? _context.Catalog.RegionOf(attempt.DeploymentId) : deployment;
        if (problem is null)
        {
            return;
        }

        var now = _context.Time.GetUtcNow();
        var group = deployment.ModelGroup ?? ConditionCatalog.Other;
        var errorType = attempt.Error?.ToString() ?? "";
        // The call's error body is not known yet when its attempt ends (and a retried attempt never has one).
        var message = $"attempt {attempt.Number} failed with status {attempt.Status}";
        _windows[problem.Key].Record(new AlertObservation(now, group, deployment.Key, attempt.Provider, attempt.Status, "", ""));
        _activity.For(problem).Record(now, attempt.Status, deployment.Key, failure: new RecentFailure(now, group, deployment.Key, attempt.Provider, attempt.Status, errorType, message));
    }

    public void Evaluate(DateTimeOffset now)
    {
        (_previousTick, _lastTick) = (_lastTick, now);
        foreach (var (problem, activity) in _activity.All)
        {
            // Only new failures can raise the level; an open outage resolves on its own schedule.
            if (activity.Drain() is { } delta)
            {
                Tracker.Record(problem, delta, Level(problem, now), delta.Last + _window);
            }
        }

        Tracker.Tick(now);
    }

    public ConditionMessage Describe(ConditionState state, int level, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var problem = state.Problem;
        var options = _context.Options;
        var (count, deployments) = Measure(problem, _previousTick, now);
        var major = level >= 2;
        var banner = major ? "🚨 Major Service Outage" : "⚠️ Minor Service Outage";
        var threshold = major ? options.MajorOutageThreshold : options.MinorOutageThreshold;
        var subject = _perRegion ? $"region {problem.Display}, {deployments} deployments failing" : $"deployment {problem.Display}";
        var window = ConditionText.Seconds(_window);
        List<AlertFact> facts = _perRegion
            ? [new("Provider", problem.Provider ?? "unknown"), new("Region", problem.Region ?? "unknown"), new("Deployments failing", ConditionText.Tally(state.Deployments))]
            : [.. problem.DeploymentFacts()];
        facts.Add(new("Failures in window", $"{ConditionText.Number(count)} in the last {window} s (threshold {threshold})"));
        facts.Add(new("Failures since opened", ConditionText.Number(state.Count)));
        facts.Add(new("Statuses", ConditionText.Tally(state.Statuses)));
        var notice = new AlertNotice(
            $"{banner}: {subject}: {ConditionText.Number(count)} failures (408, 5xx, timeouts, connection errors) in the last {window} s",
            major ? AlertSeverity.Error : AlertSeverity.Warning)
        {
            Facts = facts,
            RecentErrors = [.. state.RecentErrors],
        };
        return new ConditionMessage(major ? "Major service outage" : "Minor service outage", notice);
    }

    private int Level(ConditionProblem problem, DateTimeOffset now)
    {
        var (count, deployments) = Measure(problem, _previousTick, now);
        if (_perRegion && deployments < 2)
        {
            return 0;
        }

        var options = _context.Options;
        return count >= options.MajorOutageThreshold ? 2 : count >= options.MinorOutageThreshold ? 1 : 0;
    }

    private (int Count, int Deployments) Measure(ConditionProblem problem, DateTimeOffset since, DateTimeOffset now)
    {
        var window = _windows[problem.Key];
        if (!_perRegion)
        {
            return (window.Peak(since, now), 1);
        }

        var snapshot = window.Snapshot(now);
        return (window.Peak(since, now), snapshot.Breakdown.Keys.Select(k => k.DeploymentId).Distinct(StringComparer.Ordinal).Count());
    }
}
