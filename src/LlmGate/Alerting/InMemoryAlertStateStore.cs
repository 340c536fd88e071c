namespace LlmGate.Alerting;

/// <summary>The state of one process: a window per (kind, scope), fixed at start-up, and a dictionary of open incidents.</summary>
internal sealed class InMemoryAlertStateStore : IAlertStateStore
{
    private readonly Dictionary<(AlertKind, string), SlidingWindow> _windows = [];
    private readonly Lock _incidentsLock = new();
    private readonly Dictionary<string, OpenIncident> _incidents = new(StringComparer.Ordinal);

    public InMemoryAlertStateStore(IEnumerable<AlertRule> rules, AlertScopes scopes)
    {
        // Built once and only read afterwards, so lookups on the request path need no lock.
        foreach (var rule in rules)
        {
            foreach (var scope in scopes.All)
            {
                _windows[(rule.Kind, scope)] = new SlidingWindow(rule.Window);
            }
        }
    }

    public void Record(AlertKind kind, string scope, in AlertObservation observation)
    {
        if (_windows.TryGetValue((kind, scope), out var window))
        {
            window.Record(observation);
        }
    }

    public int Count(AlertKind kind, string scope, DateTimeOffset now) =>
        _windows.TryGetValue((kind, scope), out var window) ? window.Count(now) : 0;

    public int Peak(AlertKind kind, string scope, DateTimeOffset since, DateTimeOffset now) =>
        _windows.TryGetValue((kind, scope), out var window) ? window.Peak(since, now) : 0;

    public WindowSnapshot Snapshot(AlertKind kind, string scope, DateTimeOffset now) =>
        _windows.TryGetValue((kind, scope), out var window) ? window.Snapshot(now) : WindowSnapshot.Empty;

    public bool TryOpenIncident(OpenIncident incident)
    {
        lock (_incidentsLock)
        {
            return _incidents.TryAdd(incident.DedupKey, incident);
        }
    }

    public DateTimeOffset MarkQuiet(string dedupKey, DateTimeOffset now)
    {
        lock (_incidentsLock)
        {
            if (!_incidents.TryGetValue(dedupKey, out var incident))
            {
                return now;
            }

            if (incident.QuietSince is { } since)
            {
                return since;
            }

            _incidents[dedupKey] = incident with { QuietSince = now };
            return now;
        }
    }

    public void MarkBreaching(string dedupKey)
    {
        lock (_incidentsLock)
        {
            if (_incidents.TryGetValue(dedupKey, out var incident) && incident.QuietSince is not null)
            {
                _incidents[dedupKey] = incident with { QuietSince = null };
            }
        }
    }

    public bool TryResolveIncident(string dedupKey)
    {
        lock (_incidentsLock)
        {
            return _incidents.Remove(dedupKey);
        }
    }

    public IReadOnlyList<OpenIncident> ListOpenIncidents()
    {
        lock (_incidentsLock)
        {
            return [.. _incidents.Values.OrderBy(i => i.OpenedAt)];
        }
    }

    public AlertStateStatus Describe() => AlertStateStatus.Local;

    /// <summary>Makes the open incidents exactly these (a shared store mirrors the cluster's here).</summary>
    public void ReplaceIncidents(IEnumerable<OpenIncident> incidents)
    {
        lock (_incidentsLock)
        {
            _incidents.Clear();
            foreach (var incident in incidents)
            {
                _incidents[incident.DedupKey] = incident;
            }
        }
    }
}
