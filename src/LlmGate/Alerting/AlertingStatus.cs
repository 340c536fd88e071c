using LlmGate.Alerting.Delivery;

namespace LlmGate.Alerting;

/// <summary>What <c>GET /alerting/status</c> shows. Holds no key: not the routing key, not any other.</summary>
internal sealed record AlertingStatus
{
    public static readonly AlertingStatus Disabled = new() { Enabled = false };

    public required bool Enabled { get; init; }

    public decimal? HangingThresholdSeconds { get; init; }

    public int? InFlight { get; init; }

    /// <summary>Where windows and incidents live: this process, or Redis shared by the replicas.</summary>
    public AlertStateStatus? State { get; init; }

    public IReadOnlyList<WindowStatus>? Windows { get; init; }

    public IReadOnlyList<IncidentStatus>? OpenIncidents { get; init; }

    /// <summary>Payloads waiting in the outbox, all channels together.</summary>
    public int? OutboxDepth { get; init; }

    /// <summary>The last delivery attempt of any channel.</summary>
    public DeliveryResult? LastDelivery { get; init; }

    /// <summary>Every delivery attempt since start, by channel, status (null: no answer) and whether it was delivered; for <c>/metrics</c>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<KeyValuePair<(string Channel, int? Status, bool Delivered), long>>? DeliveryAttempts { get; init; }

    /// <summary>Each channel's lane and attempts: one stuck channel shows here while the others deliver.</summary>
    public IReadOnlyList<ChannelStatus>? Channels { get; init; }

    /// <summary>The silences known: pending, active, and expired ones still kept for audit.</summary>
    public IReadOnlyList<Silences.SilenceStatus>? Silences { get; init; }

    /// <summary>Triggers silences hold back, by channel.</summary>
    public IReadOnlyDictionary<string, int>? Held { get; init; }

    /// <summary>Deployments with failed attempts (retried ones included) or a cooldown, from the router.</summary>
    public IReadOnlyList<Routing.DeploymentHealthStatus>? Deployments { get; init; }
}
