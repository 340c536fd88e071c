using System.Collections.Concurrent;

namespace LlmGate.Routing;

/// <summary>
/// The process's failed-attempt counts joined with the cooldown store. The counts stay per replica (each replica
/// reports what it saw); cooldowns come from <see cref="ICooldownStore"/>, which replicas may share.
/// </summary>
internal sealed class DeploymentHealth(ICooldownStore cooldowns) : IDeploymentHealth
{
    private readonly ConcurrentDictionary<string, DeploymentFailureCounter> _counters = new(StringComparer.Ordinal);

    public void RecordFailedAttempt(string deploymentId, string modelGroup, int status, DateTimeOffset now) =>
        _counters.GetOrAdd(deploymentId, static (_, group) => new DeploymentFailureCounter(group), modelGroup).Record(status, now);

    public IReadOnlyList<DeploymentHealthStatus> Snapshot(DateTimeOffset now)
    {
        var cooling = cooldowns.ListCoolingDown(now).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var statuses = new List<DeploymentHealthStatus>();
        foreach (var (id, counter) in _counters)
        {
            var lastTicks = counter.LastFailureTicks;
            statuses.Add(new DeploymentHealthStatus(
                id,
                counter.ModelGroup,
                counter.FailedAttempts,
                counter.LastStatus,
                lastTicks == 0 ? null : new DateTimeOffset(lastTicks, TimeSpan.Zero),
                cooling.TryGetValue(id, out var until) ? until : null));
        }

        // A deployment cooled by another replica has no count here, but is cooling all the same.
        foreach (var (id, until) in cooling)
        {
            if (!_counters.ContainsKey(id))
            {
                statuses.Add(new DeploymentHealthStatus(id, null, 0, null, null, until));
            }
        }

        return [.. statuses.OrderByDescending(s => s.FailedAttempts).ThenBy(s => s.DeploymentId, StringComparer.Ordinal)];
    }
}
