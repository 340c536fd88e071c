namespace LlmGate.Alerting;

/// <summary>
/// Window counts and open incidents: the state replicas must share to page once. In memory by default; a Redis
/// store can replace it without touching the detector. <see cref="Record"/> is called on the request path and
/// must never wait (a remote store buffers and flushes in the background).
/// </summary>
internal interface IAlertStateStore
{
    void Record(AlertKind kind, string scope, in AlertObservation observation);

    int Count(AlertKind kind, string scope, DateTimeOffset now);

    /// <summary>The most events any window ending in (since, now] held (at now, when since is now): what the detector judges, so a tick between them does not split a burst.</summary>
    int Peak(AlertKind kind, string scope, DateTimeOffset since, DateTimeOffset now);

    WindowSnapshot Snapshot(AlertKind kind, string scope, DateTimeOffset now);

    /// <summary>Opens the incident unless one with its dedup key is open; true when THIS caller opened it.</summary>
    bool TryOpenIncident(OpenIncident incident);

    /// <summary>Records when the count first dropped below the threshold (first writer wins); returns that time.</summary>
    DateTimeOffset MarkQuiet(string dedupKey, DateTimeOffset now);

    /// <summary>The count breaches again: the quiet period starts over.</summary>
    void MarkBreaching(string dedupKey);

    /// <summary>Closes the incident; true when THIS caller closed it.</summary>
    bool TryResolveIncident(string dedupKey);

    IReadOnlyList<OpenIncident> ListOpenIncidents();

    /// <summary>Where the state lives now, for <c>GET /alerting/status</c>.</summary>
    AlertStateStatus Describe();
}
