using BenchmarkDotNet.Attributes;
using LlmGate.Alerting;
using LlmGate.Calls;
using LlmGate.Configuration;
using LlmGate.Secrets;

namespace LlmGate.Bench.Micro;

/// <summary>
/// What alerting adds to each request: the in-flight registry's add and remove (a call started, routed and
/// <c>Completed</c>, plain and streamed), a counted failure (scrubbed and recorded in the failure window), a hang
/// recorded in the hang window, and the detector's sweep over the requests in flight. <see cref="InFlight"/> requests
/// are kept open around each operation, as under load.
/// </summary>
[MemoryDiagnoser]
public class AlertingBenchmarks
{
    private static readonly CallFailure ServerError = new(500, "api_error", "The upstream answered HTTP 500: internal error (request id req_0123456789abcdef)", FailureKind.UpstreamError);
    private readonly List<CallContext> _open = [];
    private CallTracker _calls = null!;
    private InFlightRegistry _registry = null!;
    private InMemoryAlertStateStore _store = null!;
    private AlertObservation _hang;

    [Params(0, 256)]
    public int InFlight { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = new AlertingOptions { FailureThreshold = int.MaxValue, HangingThresholdFails = int.MaxValue };
        var scopes = AlertScopes.Create(["bench-model"], perModelGroup: false);
        _store = new InMemoryAlertStateStore(AlertRule.From(options), scopes);
        _registry = new InFlightRegistry(options, _store, scopes, new SecretScrubber(["sk-bench-upstream-key"]), TimeProvider.System);
        _calls = new CallTracker([_registry], TimeProvider.System);
        for (var i = 0; i < InFlight; i++)
        {
            _open.Add(StartRouted("bench-model", "bench-deployment-1", "openai", stream: i % 2 == 0));
        }

        _hang = new AlertObservation(TimeProvider.System.GetUtcNow(), "bench-model", "bench-deployment-1", "openai", 0, "hanging", "no response for 61 s");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var tracker in _open)
        {
            tracker.Completed();
        }
    }

    [Benchmark(Baseline = true)]
    public void StartCompleted() => StartRouted("bench-model", "bench-deployment-1", "openai", stream: false).Completed();

    [Benchmark]
    public void StreamStartProgressCompleted()
    {
        var tracker = StartRouted("bench-model", "bench-deployment-1", "openai", stream: true);
        tracker.Progress();
        tracker.Progress();
        tracker.Completed();
    }

    [Benchmark]
    public void StartFailed() => StartRouted("bench-model", "bench-deployment-1", "openai", stream: false).Failed(ServerError);

    [Benchmark]
    public void HangWindowRecord() => _store.Record(AlertKind.Hang, AlertScopes.Gateway, _hang with { Timestamp = TimeProvider.System.GetUtcNow() });

    [Benchmark]
    public void Sweep() => _registry.Sweep();

    // As the proxy starts a routed call and its first attempt.
    private CallContext StartRouted(string modelGroup, string deploymentId, string provider, bool stream)
    {
        var call = _calls.Start(CallerIdentity.MasterKey);
        call.Routed(modelGroup, stream);
        call.StartAttempt(modelGroup, deploymentId, provider);
        return call;
    }
}
