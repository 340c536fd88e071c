namespace LlmGate.Routing;

/// <summary>
/// Failed attempts per deployment, written by the router on every failed attempt (O(1), lock-free) and read by
/// alerting for its status page and alert details. Retried attempts are counted here, never as failed requests.
/// </summary>
internal interface IDeploymentHealth
{
    void RecordFailedAttempt(string deploymentId, string modelGroup, int status, DateTimeOffset now);

    /// <summary>Every deployment with failed attempts or a cooldown, most failed attempts first.</summary>
    IReadOnlyList<DeploymentHealthStatus> Snapshot(DateTimeOffset now);
}
