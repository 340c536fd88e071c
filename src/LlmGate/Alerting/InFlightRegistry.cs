using System.Collections.Concurrent;
using System.Globalization;
using LlmGate.Calls;
using LlmGate.Configuration;
using LlmGate.Secrets;

namespace LlmGate.Alerting;

/// <summary>
/// Alerting's call observer: keeps the calls in flight from their first attempt to their end (memory proportional to
/// them, nothing after), notices hangs on its sweep or when late progress arrives, and records counted failures and
/// hangs in the state store, each blamed on the deployment of the attempt that hung or failed. The success path is a
/// dictionary add and a remove: no lock, no wait. Calls never routed to a model group (a malformed body, an unknown
/// model) are the client's mistake and never counted.
/// </summary>
internal sealed class InFlightRegistry : ICallObserver
{
    /// <summary>The deployment a failure is blamed on when no deployment could take the call.</summary>
    public const string NoDeploymentId = "(none available)";

    private readonly ConcurrentDictionary<long, InFlightRequest> _inFlight = new();
    private readonly IAlertStateStore _store;
    private readonly AlertScopes _scopes;
    private readonly SecretScrubber _scrubber;
    private readonly TimeProvider _time;
    private volatile HangSettings _settings;

    public InFlightRegistry(AlertingOptions options, IAlertStateStore store, AlertScopes scopes, SecretScrubber scrubber, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _scopes = scopes;
        _scrubber = scrubber;
        _time = time;
        _settings = new HangSettings(options, time);
    }

    public TimeSpan HangingThreshold => _settings.Threshold;

    public int Count => _inFlight.Count;

    public void OnCallStarted(CallContext call)
    {
    }

    public void OnAttemptStarted(CallContext call, CallAttempt attempt)
    {
        if (attempt.Number == 0)
        {
            _inFlight[call.Sequence] = new InFlightRequest(call, attempt.StartTimestamp);
        }
    }

    public void OnProgress(CallContext call, long previousProgress, long now)
    {
        // Only a stream's gap between chunks can hang after its headers; the lookup is paid only for a long gap.
        if (call.Stream && now - previousProgress >= _settings.ThresholdUnits && _inFlight.TryGetValue(call.Sequence, out var request))
        {
            CountHangIfWaitedTooLong(request, Math.Max(previousProgress, request.StartTimestamp), now);
        }
    }

    public void OnAttemptEnded(CallContext call, CallAttempt attempt)
    {
    }

    public void OnCallEnded(CallContext call)
    {
        // A call that waited past the threshold and then ended (completed, failed or given up by its client) was hung:
        // counting it here keeps the result independent of when the sweep last ran.
        if (_inFlight.TryRemove(call.Sequence, out var request))
        {
            CountHangIfWaitedTooLong(request, request.WaitingSince, _time.GetTimestamp());
        }

        if (call is { Outcome: CallOutcome.Failed, Failure: { } failure, ModelGroup: { } modelGroup })
        {
            RecordFailure(call, modelGroup, failure);
        }
    }

    /// <summary>A reloaded config's hanging threshold and client-error rule, for calls from now on and calls in flight alike.</summary>
    public void Reconfigure(AlertingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _settings = new HangSettings(options, _time);
    }

    /// <summary>Counts every call in flight that has waited past the threshold and was not counted yet.</summary>
    public void Sweep()
    {
        var now = _time.GetTimestamp();
        // Enumerating the dictionary itself takes no lock and copies nothing (.Values would do both).
        foreach (var (_, request) in _inFlight)
        {
            if (!request.Call.HasEnded)
            {
                CountHangIfWaitedTooLong(request, request.WaitingSince, now);
            }
        }
    }

    private void CountHangIfWaitedTooLong(InFlightRequest request, long waitingSince, long now)
    {
        var waited = now - waitingSince;
        if (waited < _settings.ThresholdUnits || !request.TryMarkHung())
        {
            return;
        }

        var call = request.Call;
        var seconds = _time.GetElapsedTime(waitingSince, now).TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var message = call.Stream ? $"no chunk of the stream for {seconds} s" : $"no response for {seconds} s";
        var attempt = call.CurrentAttempt;
        var observation = new AlertObservation(
            _time.GetUtcNow(), call.ModelGroup ?? "", attempt?.DeploymentId ?? NoDeploymentId, attempt?.Provider ?? "", 0, "hanging", message);
        _store.Record(AlertKind.Hang, _scopes.Resolve(observation.ModelGroup), observation);
    }

    private void RecordFailure(CallContext call, string modelGroup, CallFailure failure)
    {
        if (!FailureClassifier.Counts(failure, _settings.IgnoreClientErrors))
        {
            return;
        }

        // The attempt that failed last, not the first one tried: after a retry, that is the deployment to look at.
        var attempt = call.CurrentAttempt;
        var observation = new AlertObservation(
            _time.GetUtcNow(),
            modelGroup,
            attempt?.DeploymentId ?? NoDeploymentId,
            attempt?.Provider ?? "",
            failure.Status,
            _scrubber.Scrub(failure.ErrorType, 100),
            _scrubber.Scrub(failure.Message));
        _store.Record(AlertKind.Failure, _scopes.Resolve(modelGroup), observation);
    }

    // One object, swapped whole by a reload, so the hot path reads a consistent pair with one volatile read.
    private sealed class HangSettings(AlertingOptions options, TimeProvider time)
    {
        public TimeSpan Threshold { get; } = options.HangingThreshold;

        // Compared in the clock's own units on the hot path; at least one unit so a zero gap never counts.
        public long ThresholdUnits { get; } = Math.Max(1, (long)((Int128)options.HangingThreshold.Ticks * time.TimestampFrequency / TimeSpan.TicksPerSecond));

        public bool IgnoreClientErrors { get; } = options.IgnoreClientErrors;
    }
}
