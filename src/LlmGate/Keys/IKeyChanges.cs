namespace LlmGate.Keys;

/// <summary>
/// Told of every change made through the management API, after the store has it: drops the entity from this
/// replica's cache at once and tells the other replicas (Redis pub/sub when configured; they also poll the store).
/// </summary>
internal interface IKeyChanges
{
    void Changed(EntityChange change);
}
