using System.Collections.Concurrent;
using LlmGate.Calls;
using LlmGate.Configuration;
using LlmGate.Routing;

namespace LlmGate.Observability.Metrics;

/// <summary>
/// Finds the <see cref="CallSeries"/> of a (caller, requested model, deployment) and the <see cref="DeploymentSeries"/>
/// of a deployment, making each once. The number of caller series is capped (<c>prometheus_metrics_max_series_per_metric</c>):
/// past the cap a new caller or model is folded into one series labelled <c>other</c>, each call so recorded counted in
/// <c>llmgate_metrics_dropped_series_total</c> (counting distinct dropped label sets would need the memory the cap
/// protects), so random keys or model names cannot exhaust the scraper or this process.
/// </summary>
internal sealed class SeriesCache(LiteLlmMetrics metrics, ObservabilityOptions options, GatewaySnapshotSource snapshots)
{
    private static readonly string[] OtherCaller = [MetricLabels.Other, MetricLabels.Other, MetricLabels.Other, MetricLabels.Other, MetricLabels.Other];

    private readonly ConcurrentDictionary<SeriesKey, CallSeries> _calls = new();
    private readonly ConcurrentDictionary<string, DeploymentSeries> _deployments = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CallSeries> _folded = new(StringComparer.Ordinal);
    private readonly Prometheus.Counter.Child _dropped = metrics.DroppedSeries.WithLabels("litellm_proxy_total_requests_metric");

    // The number of caller series made; ConcurrentDictionary.Count would take every lock of the map on each call past the cap.
    private int _count;

    // Caller identities are made once per key (and are singletons for the master key), so the reference is the key.
    public CallSeries For(CallerIdentity caller, string? requestedModel, string? deploymentId)
    {
        var key = new SeriesKey(caller, requestedModel ?? MetricLabels.None, deploymentId ?? "");
        if (_calls.TryGetValue(key, out var series))
        {
            return series;
        }

        var deployment = deploymentId is null ? null : Deployment(deploymentId);
        if (Volatile.Read(ref _count) >= options.MaxSeriesPerMetric)
        {
            _dropped.Inc();
            return _folded.GetOrAdd(deploymentId ?? "", static (_, state) => new CallSeries(state.metrics, OtherCaller, MetricLabels.Other, state.deployment), (metrics, deployment));
        }

        // Made before it is known to be needed (it is cheap: its children appear on first use), so that only the
        // thread that adds it counts it.
        var made = new CallSeries(metrics, MetricLabels.Caller(caller), key.RequestedModel, deployment);
        if (_calls.TryAdd(key, made))
        {
            Interlocked.Increment(ref _count);
            return made;
        }

        return _calls[key];
    }

    public DeploymentSeries? Deployment(string deploymentId)
    {
        if (_deployments.TryGetValue(deploymentId, out var series))
        {
            return series;
        }

        foreach (var group in snapshots.Current.Routes.Groups)
        {
            foreach (var deployment in group.Deployments)
            {
                if (deployment.Id == deploymentId)
                {
                    return _deployments.GetOrAdd(
                        deploymentId,
                        static (_, state) => new DeploymentSeries(state.metrics, MetricLabels.Deployment(state.deployment), state.group),
                        (metrics, deployment, group: group.Name));
                }
            }
        }

        return null;
    }

    private readonly record struct SeriesKey(CallerIdentity Caller, string RequestedModel, string DeploymentId)
    {
        // Identities compare by reference: a record's value equality would hash every field on every call.
        public bool Equals(SeriesKey other) =>
            ReferenceEquals(Caller, other.Caller) && string.Equals(RequestedModel, other.RequestedModel, StringComparison.Ordinal)
            && string.Equals(DeploymentId, other.DeploymentId, StringComparison.Ordinal);

        public override int GetHashCode() =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Caller), StringComparer.Ordinal.GetHashCode(RequestedModel), StringComparer.Ordinal.GetHashCode(DeploymentId));
    }
}
