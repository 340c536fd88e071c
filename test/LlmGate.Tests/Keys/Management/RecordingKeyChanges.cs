using System.Collections.Concurrent;
using LlmGate.Keys;

namespace LlmGate.Tests.Keys.Management;

/// <summary>Remembers every change the management API announced.</summary>
internal sealed class RecordingKeyChanges : IKeyChanges
{
    private readonly ConcurrentQueue<EntityChange> _changes = new();

    public IReadOnlyList<EntityChange> All => _changes.ToArray();

    public void Changed(EntityChange change) => _changes.Enqueue(change);
}
