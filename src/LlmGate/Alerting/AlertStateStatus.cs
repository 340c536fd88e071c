namespace LlmGate.Alerting;

/// <summary>Where alert state lives, for the status page: this process, or Redis shared by the replicas.</summary>
internal sealed record AlertStateStatus
{
    public static readonly AlertStateStatus Local = new() { Backend = "memory", Shared = false };

    /// <summary><c>memory</c> or <c>redis</c>.</summary>
    public required string Backend { get; init; }

    /// <summary>True while counts and incidents are the cluster's; false in memory or while Redis is unreachable.</summary>
    public required bool Shared { get; init; }

    /// <summary><c>host:port</c> of the Redis server; never its password.</summary>
    public string? Redis { get; init; }

    /// <summary>Replicas that heartbeated within the last 10 seconds, this one included.</summary>
    public int? Replicas { get; init; }

    public string? ReplicaId { get; init; }

    /// <summary>Set while Redis is configured but unreachable: since when this replica uses local state.</summary>
    public DateTimeOffset? DegradedSince { get; init; }
}
