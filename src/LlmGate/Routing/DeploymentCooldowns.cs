using LlmGate.Configuration;

namespace LlmGate.Routing;

/// <summary>
/// The cooldown rule, in one place for every caller that saw a deployment fail (the attempt loop, the background health
/// checks): a failure of a kind that counts starts a cooldown in the <see cref="ICooldownStore"/>, then every
/// <see cref="ICooldownListener"/> is told — but never with cooldowns disabled, and never for a group's only deployment
/// (as in LiteLLM: there is nowhere else to send its calls, and refusing them all for cooldown_time would turn one
/// provider's blip into a full outage of the group).
/// </summary>
internal sealed class DeploymentCooldowns(ICooldownStore store, IEnumerable<ICooldownListener> listeners)
{
    private readonly ICooldownListener[] _listeners = [.. listeners];

    /// <summary>
    /// Counts one failure of <paramref name="deploymentId"/>; <paramref name="coolFor"/> starts a cooldown of that length
    /// at once (see <see cref="ICooldownStore.RecordFailure"/>). Returns the end of the cooldown it started, or null.
    /// </summary>
    public DateTimeOffset? RecordFailure(
        RouterOptions options, ModelGroup group, string deploymentId, int status, bool countsForCooldown, TimeSpan? coolFor, DateTimeOffset now)
    {
        if (options.DisableCooldowns || !countsForCooldown || group.Deployments.Count == 1
            || store.RecordFailure(deploymentId, now, coolFor) is not { } until)
        {
            return null;
        }

        foreach (var listener in _listeners)
        {
            listener.OnCooldownStarted(deploymentId, group.Name, status, until);
        }

        return until;
    }
}
