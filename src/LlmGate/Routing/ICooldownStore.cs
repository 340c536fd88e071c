namespace LlmGate.Routing;

/// <summary>
/// Which deployments are cooling down. In memory by default; a later Redis store shares it across replicas.
/// <see cref="CoolingDownUntil"/> is asked for every candidate of every request: it must be O(1), lock-free and
/// never wait on the network (a remote store reads a local mirror and publishes in the background).
/// </summary>
internal interface ICooldownStore
{
    /// <summary>When the deployment's cooldown ends; null when it may be called now.</summary>
    DateTimeOffset? CoolingDownUntil(string deploymentId, DateTimeOffset now);

    /// <summary>
    /// Counts one failed attempt (of a kind that counts). More than <c>allowed_fails</c> within a minute starts a
    /// cooldown of <c>cooldown_time</c>; <paramref name="coolFor"/> (a 429's Retry-After) starts one at once for that long.
    /// Returns the end of the cooldown this failure started, or null.
    /// </summary>
    DateTimeOffset? RecordFailure(string deploymentId, DateTimeOffset now, TimeSpan? coolFor);

    /// <summary>Every deployment cooling down at <paramref name="now"/>, with the end of its cooldown.</summary>
    IReadOnlyList<KeyValuePair<string, DateTimeOffset>> ListCoolingDown(DateTimeOffset now);
}
