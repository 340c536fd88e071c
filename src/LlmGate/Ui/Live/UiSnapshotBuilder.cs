using LlmGate.Alerting;
using LlmGate.Keys;
using LlmGate.Redis;
using LlmGate.Routing;
using System.Text.Json;

namespace LlmGate.Ui.Live;

/// <summary>
/// Builds one <see cref="UiSnapshot"/> from what the gateway already keeps in memory: the console's own ring, the
/// alerting status, deployment health, Redis and the key store. Each source is optional (alerting off, no Redis).
/// </summary>
internal sealed class UiSnapshotBuilder(
    UiMetrics metrics,
    GatewaySnapshotSource gateway,
    TimeProvider time,
    AlertingStatusReporter? alerting = null,
    IDeploymentHealth? deploymentHealth = null,
    RedisConnection? redis = null,
    KeyStoreHealth? database = null)
{
    /// <summary>Sparkline points: 90 of 10 seconds for the 15-minute ring.</summary>
    public const int StepSeconds = 10;

    /// <summary>A deployment whose last failed attempt is this recent is shown unhealthy.</summary>
    public static readonly TimeSpan UnhealthyFor = TimeSpan.FromMinutes(1);

    private static readonly byte[] EventPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventSuffix = "\n\n"u8.ToArray();

    private long _sequence;

    public UiFrame Build()
    {
        var now = time.GetUtcNow();
        var status = alerting?.Snapshot();
        var snapshot = new UiSnapshot
        {
            Sequence = Interlocked.Increment(ref _sequence),
            At = now,
            Traffic = Traffic(now.ToUnixTimeSeconds()),
            AlertingEnabled = status is not null,
            Windows = [.. (status?.Windows ?? []).Select(w => new UiWindow($"{w.Class}|{w.Scope}", w.Class, w.Scope, w.Count, w.Threshold, w.WindowSeconds, w.Count >= w.Threshold))],
            Incidents = [.. (status?.OpenIncidents ?? []).Select(i => new UiIncident(i.DedupKey, i.Class, i.Scope, i.Since, i.QuietSince))],
            Channels = [.. (status?.Channels ?? []).Select(c => new UiChannel(c.Name, c.OutboxDepth, c.LastDelivery?.At, c.LastDelivery?.StatusCode, c.LastDelivery?.Delivered, c.ConsecutiveFailures))],
            InFlight = status?.InFlight,
            OutboxDepth = status?.OutboxDepth,
            Stores = new UiStores(redis is not null, redis?.IsShared ?? false, redis?.UnavailableSince, redis?.Replicas, database is not null, database?.UnavailableSince),
            Deployments = Deployments(now, status?.Deployments ?? deploymentHealth?.Snapshot(now) ?? []),
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(snapshot, UiSnapshotJsonContext.Default.UiSnapshot);
        return new UiFrame(snapshot, json, [.. EventPrefix, .. json, .. EventSuffix]);
    }

    private UiTraffic Traffic(long nowSecond)
    {
        // The current second is still filling: every figure ends at the last whole second.
        var end = nowSecond;
        var minute = metrics.Sum(end - 60, end);
        var points = UiMetrics.RingSeconds / StepSeconds;
        var rps = new double[points];
        var errors = new double[points];
        var p50 = new double?[points];
        var p99 = new double?[points];
        var ttft = new double?[points];
        for (var i = 0; i < points; i++)
        {
            var from = end - ((points - i) * StepSeconds);
            var step = metrics.Sum(from, from + StepSeconds);
            rps[i] = Math.Round((double)step.Requests / StepSeconds, 2);
            errors[i] = step.ErrorRate;
            p50[i] = step.LatencyMs(0.5);
            p99[i] = step.LatencyMs(0.99);
            ttft[i] = step.FirstTokenMs(0.5);
        }

        return new UiTraffic(
            Math.Round(minute.Requests / 60.0, 2),
            minute.ErrorRate,
            minute.LatencyMs(0.5),
            minute.LatencyMs(0.99),
            minute.FirstTokenMs(0.5),
            StepSeconds,
            rps,
            errors,
            p50,
            p99,
            ttft);
    }

    private List<UiDeployment> Deployments(DateTimeOffset now, IReadOnlyList<DeploymentHealthStatus> health)
    {
        var nowSecond = now.ToUnixTimeSeconds();
        var byId = health.ToDictionary(h => h.DeploymentId, StringComparer.Ordinal);
        var list = new List<UiDeployment>();
        foreach (var group in gateway.Current.Routes.Groups)
        {
            foreach (var deployment in group.Deployments)
            {
                var counters = metrics.Find(deployment.Id);
                var minute = counters is null ? null : UiMetrics.Sum(counters.LastMinute, nowSecond - 59, nowSecond + 1);
                byId.TryGetValue(deployment.Id, out var known);
                var cooling = known?.CoolingDownUntil is { } until && until > now ? until : (DateTimeOffset?)null;
                var recent = counters?.Recent() ?? [];
                var lastFailure = Max(known?.LastFailureAt, recent.Count > 0 ? recent[0].At : null);
                var healthText = cooling is not null ? "cooling"
                    : lastFailure is { } failed && now - failed < UnhealthyFor ? "unhealthy"
                    : "healthy";
                list.Add(new UiDeployment(
                    deployment.Id,
                    group.Name,
                    deployment.ProviderName,
                    healthText,
                    cooling,
                    minute?.LatencyMs(0.5),
                    counters?.Calls ?? 0,
                    known?.FailedAttempts ?? 0,
                    [.. (counters?.FailuresByStatus() ?? []).Select(f => new UiStatusCount(f.Key, f.Value))],
                    deployment.Config.Rpm,
                    deployment.Config.Tpm,
                    minute?.Requests ?? 0,
                    minute?.Tokens ?? 0,
                    [.. recent.Select(r => new UiError(r.At, r.Status, KindName(r.Kind)))]));
            }
        }

        return list;
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static string KindName(Calls.FailureKind kind) => kind switch
    {
        Calls.FailureKind.UpstreamError => "upstream_error",
        Calls.FailureKind.Timeout => "timeout",
        Calls.FailureKind.ConnectionFailure => "connection_failure",
        Calls.FailureKind.Gateway => "gateway",
        Calls.FailureKind.InvalidRequest => "invalid_request",
        _ => "refused",
    };
}
