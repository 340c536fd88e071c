namespace LlmGate.Routing;

/// <summary>
/// Told when this replica's router puts a deployment into cooldown (metrics, alert channels). Called on the request's
/// thread, after the cooldown is recorded: O(1), no I/O.
/// </summary>
internal interface ICooldownListener
{
    void OnCooldownStarted(string deploymentId, string modelGroup, int status, DateTimeOffset until);
}
