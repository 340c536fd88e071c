using System.Collections.Concurrent;
using System.Globalization;
using LlmGate.Configuration;

namespace LlmGate.Alerting;

/// <summary>
/// The proxy's observer: keeps the requests in flight (memory proportional to them, nothing after they end), notices
/// hangs on its sweep or when late progress arrives, and records counted failures and hangs in the state store.
/// The success path is an Interlocked id, a dictionary add and a remove: no lock, no wait.
/// </summary>
internal sealed class InFlightRegistry : IRequestObserver
{
    private readonly ConcurrentDictionary<long, InFlightRequest> _inFlight = new();
    private readonly IAlertStateStore _store;
    private readonly AlertScopes _scopes;
    private readonly SecretScrubber _scrubber;
    private readonly TimeProvider _time;
    private readonly bool _ignoreClientErrors;
    private readonly long _hangingThresholdTimestampUnits;
    private long _nextId;

    public InFlightRegistry(AlertingOptions options, IAlertStateStore store, AlertScopes scopes, SecretScrubber scrubber, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _scopes = scopes;
        _scrubber = scrubber;
        _time = time;
        _ignoreClientErrors = options.IgnoreClientErrors;
        HangingThreshold = options.HangingThreshold;

        // Compared in the clock's own units on the hot path; at least one unit so a zero gap never counts.
        _hangingThresholdTimestampUnits = Math.Max(1, (long)((Int128)options.HangingThreshold.Ticks * time.TimestampFrequency / TimeSpan.TicksPerSecond));
    }

    public TimeSpan HangingThreshold { get; }

    public int Count => _inFlight.Count;

    public IRequestTracker Start(string modelGroup, string deploymentId, string provider, bool stream)
    {
        var request = new InFlightRequest(this, Interlocked.Increment(ref _nextId), _time.GetTimestamp(), modelGroup, deploymentId, provider, stream);
        _inFlight[request.Id] = request;
        return request;
    }

    /// <summary>Counts every request in flight that has waited past the threshold and was not counted yet.</summary>
    public void Sweep()
    {
        var now = _time.GetTimestamp();
        // Enumerating the dictionary itself takes no lock and copies nothing (.Values would do both).
        foreach (var (_, request) in _inFlight)
        {
            if (!request.HasEnded)
            {
                CountHangIfWaitedTooLong(request, request.WaitingSince, now);
            }
        }
    }

    internal long Timestamp() => _time.GetTimestamp();

    internal void Remove(InFlightRequest request) => _inFlight.TryRemove(request.Id, out _);

    internal void CountHangIfWaitedTooLong(InFlightRequest request, long waitingSince, long now)
    {
        var waited = now - waitingSince;
        if (waited < _hangingThresholdTimestampUnits || !request.TryMarkHung())
        {
            return;
        }

        var seconds = _time.GetElapsedTime(waitingSince, now).TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var message = request.Stream ? $"no chunk of the stream for {seconds} s" : $"no response for {seconds} s";
        var observation = new AlertObservation(_time.GetUtcNow(), request.ModelGroup, request.DeploymentId, request.Provider, 0, "hanging", message);
        _store.Record(AlertKind.Hang, _scopes.Resolve(request.ModelGroup), observation);
    }

    internal void RecordFailure(InFlightRequest request, RequestFailure failure)
    {
        if (!FailureClassifier.Counts(failure, _ignoreClientErrors))
        {
            return;
        }

        var observation = new AlertObservation(
            _time.GetUtcNow(),
            request.ModelGroup,
            request.DeploymentId,
            request.Provider,
            failure.Status,
            _scrubber.Scrub(failure.ErrorType, 100),
            _scrubber.Scrub(failure.Message));
        _store.Record(AlertKind.Failure, _scopes.Resolve(request.ModelGroup), observation);
    }
}
