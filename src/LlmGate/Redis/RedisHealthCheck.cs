using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmGate.Redis;

/// <summary>Readiness: Degraded (still serving, state local) while Redis is unreachable; never Unhealthy for it.</summary>
internal sealed class RedisHealthCheck(RedisConnection connection) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(connection.IsShared
            ? HealthCheckResult.Healthy($"state shared through Redis at {connection.Endpoint} with {connection.Replicas} replica(s)")
            : HealthCheckResult.Degraded($"Redis at {connection.Endpoint} unreachable: alert state and cooldowns are local to this replica"));
}
