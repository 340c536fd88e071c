namespace LlmGate.Keys;

/// <summary>
/// Changes made through the management API on this gateway take effect here at once (the entity is reread by the
/// next request that uses it); other replicas hear of them through Redis when it is configured
/// (<see cref="KeyChangeBroadcast"/>), and in any case through the store's change feed, polled by the
/// <see cref="SpendWriter"/> every <see cref="SpendWriter.ChangePollInterval"/>.
/// </summary>
internal sealed class KeyChanges(KeyDirectory directory, KeyChangeBroadcast? broadcast = null) : IKeyChanges
{
    public void Changed(EntityChange change)
    {
        directory.Invalidate(change);
        broadcast?.Publish(change);
    }
}
