using LlmGate.Alerting.Delivery;
using LlmGate.Configuration;
using LlmGate.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmGate.Alerting;

/// <summary>
/// Every second: sweeps the in-flight registry for hangs, then checks each window. A count reaching its threshold
/// opens ONE incident (one trigger, however long it lasts); a full window below the threshold resolves it (one
/// resolve). Both are channel-neutral <see cref="AlertNotification"/>s queued for every channel; the request path is
/// never involved. Counters are never cleared, so nothing that arrives while an alert is being sent is lost.
/// </summary>
internal sealed class AlertDetector : BackgroundService
{
    public static readonly TimeSpan EvaluationInterval = TimeSpan.FromSeconds(1);

    private readonly InFlightRegistry _registry;
    private readonly IAlertStateStore _store;
    private readonly AlertScopes _scopes;
    // Swapped whole by a reload (new thresholds); the dedup keys depend only on class and scope, so open incidents carry over.
    private volatile AlertingOptions _options;
    private volatile IReadOnlyList<AlertRule> _rules;
    private readonly Dictionary<(AlertKind, string), string> _dedupKeys = [];
    private readonly SqliteAlertOutbox _outbox;
    private readonly AlertNotifier _notifier;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertDetector> _logger;
    private readonly IDeploymentHealth? _deploymentHealth;
    private readonly IncidentChanges? _changes;
    private bool _changed;
    private DateTimeOffset _lastEvaluation;

    // Created with the detector, not in ExecuteAsync (which .NET runs on its own thread): the first tick is due one
    // interval after start-up however late that thread runs.
    private readonly PeriodicTimer _timer;

    public AlertDetector(
        InFlightRegistry registry,
        IAlertStateStore store,
        AlertScopes scopes,
        AlertingOptions options,
        SqliteAlertOutbox outbox,
        AlertNotifier notifier,
        TimeProvider time,
        ILogger<AlertDetector> logger,
        IDeploymentHealth? deploymentHealth = null,
        IncidentChanges? changes = null)
    {
        _deploymentHealth = deploymentHealth;
        _changes = changes;
        _registry = registry;
        _store = store;
        _scopes = scopes;
        _options = options;
        _rules = AlertRule.From(options);
        _outbox = outbox;
        _notifier = notifier;
        _time = time;
        _logger = logger;
        _timer = new PeriodicTimer(EvaluationInterval, time);
        _lastEvaluation = time.GetUtcNow();
        foreach (var rule in _rules)
        {
            foreach (var scope in scopes.All)
            {
                _dedupKeys[(rule.Kind, scope)] = DedupKeys.For(rule, scope);
            }
        }

        RestoreOpenIncidents();
    }

    public void Evaluate()
    {
        _registry.Sweep();
        var now = _time.GetUtcNow();
        var since = _lastEvaluation;
        _lastEvaluation = now;
        var open = _store.ListOpenIncidents().ToDictionary(i => i.DedupKey, StringComparer.Ordinal);
        var options = _options;
        foreach (var rule in _rules)
        {
            foreach (var scope in _scopes.All)
            {
                var dedupKey = _dedupKeys[(rule.Kind, scope)];
                Evaluate(rule, scope, dedupKey, open.GetValueOrDefault(dedupKey), options, since, now);
            }
        }

        if (_changed)
        {
            _changed = false;
            _changes?.Notify();
        }
    }

    /// <summary>
    /// A reloaded config's thresholds, from the next evaluation on. The windows (their lengths are restart-only) and the
    /// open incidents stay: an incident opened under the old threshold resolves under the new one.
    /// </summary>
    public void Reconfigure(AlertingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _rules = AlertRule.From(options);
        _options = options;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    Evaluate();
                }
#pragma warning disable CA1031 // one failed evaluation must not end alerting; the next tick tries again
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    AlertingLog.EvaluationFailed(_logger, exception);
                }
            }
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

    private void Evaluate(AlertRule rule, string scope, string dedupKey, OpenIncident? incident, AlertingOptions options, DateTimeOffset since, DateTimeOffset now)
    {
        var count = _store.Peak(rule.Kind, scope, since, now);
        if (count >= rule.Threshold)
        {
            if (incident is null)
            {
                Trigger(rule, scope, dedupKey, options, count, now);
            }
            else if (incident.QuietSince is not null)
            {
                _store.MarkBreaching(dedupKey);
            }

            return;
        }

        if (incident is null)
        {
            return;
        }

        var quietSince = incident.QuietSince ?? _store.MarkQuiet(dedupKey, now);
        if (now - quietSince >= rule.Window && _store.TryResolveIncident(dedupKey))
        {
            if (_notifier.TryEnqueue(AlertNotification.Resolved(dedupKey, rule.ClassName, now), incident))
            {
                AlertingLog.IncidentResolved(_logger, rule.ClassName, scope, dedupKey);
                _changed = true;
            }
            else
            {
                _store.TryOpenIncident(incident with { QuietSince = quietSince }); // decide again next tick
            }
        }
    }

    // Incidents open at the last stop stay open, so that they resolve once a full window passes quietly (a resolve is
    // never lost to a restart); one whose scope no longer exists in the config is resolved at once.
    private void RestoreOpenIncidents()
    {
        var known = _dedupKeys.Values.ToHashSet(StringComparer.Ordinal);
        var now = _time.GetUtcNow();
        foreach (var incident in _outbox.LoadOpenIncidents())
        {
            if (known.Contains(incident.DedupKey))
            {
                _store.TryOpenIncident(incident);
            }
            else
            {
                var className = _rules.First(r => r.Kind == incident.Kind).ClassName;
                _notifier.TryEnqueue(AlertNotification.Resolved(incident.DedupKey, className, now), incident);
            }
        }
    }

    private void Trigger(AlertRule rule, string scope, string dedupKey, AlertingOptions options, int peak, DateTimeOffset now)
    {
        // Only the caller that opens the incident sends the trigger: with a shared store, one replica pages.
        var incident = new OpenIncident(dedupKey, rule.Kind, scope, now, null);
        if (!_store.TryOpenIncident(incident))
        {
            return;
        }

        // The page says the count that was judged: a burst the tick split has partly left the window by now.
        var snapshot = _store.Snapshot(rule.Kind, scope, now);
        if (snapshot.Count < peak)
        {
            snapshot = snapshot with { Count = peak };
        }
        var breach = new AlertBreach(rule, scope, _scopes.PerModelGroup, snapshot, options.HangingThreshold, _deploymentHealth?.Snapshot(now));
        if (_notifier.TryEnqueue(AlertNotification.Triggered(dedupKey, breach, now), incident))
        {
            AlertingLog.IncidentOpened(_logger, rule.ClassName, scope, snapshot.Count, rule.Threshold, dedupKey);
            _changed = true;
        }
        else
        {
            _store.TryResolveIncident(dedupKey); // not queued, so not open: decide again next tick
        }
    }
}
