using Microsoft.Extensions.Logging;

namespace LlmGate.Redis;

/// <summary>Shared-state log messages (event ids 6000-6099). They name the endpoint, never the password.</summary>
internal static partial class RedisLog
{
    [LoggerMessage(6001, LogLevel.Information, "Sharing alert state and cooldowns through Redis at {Endpoint} as replica {ReplicaId}")]
    public static partial void Sharing(ILogger logger, string endpoint, string replicaId);

    [LoggerMessage(6002, LogLevel.Warning, "Redis at {Endpoint} is unreachable ({Reason}): requests go on; alert windows, incidents and cooldowns are local to this replica until it is back")]
    public static partial void Unavailable(ILogger logger, string endpoint, string reason);

    [LoggerMessage(6003, LogLevel.Information, "Redis at {Endpoint} is reachable again after {Outage}: shared state resumed, local incidents adopted")]
    public static partial void Recovered(ILogger logger, string endpoint, TimeSpan outage);

    [LoggerMessage(6004, LogLevel.Information, "Incident {DedupKey} opened on this replica while Redis was unreachable is now shared (no new trigger)")]
    public static partial void IncidentAdopted(ILogger logger, string dedupKey);
}
