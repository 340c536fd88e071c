namespace LlmGate.Keys;

/// <summary>
/// A team or user as this gateway holds it: its policy (swapped whole on change) and its live counters, which survive
/// every reload so that reservations and unwritten spend are never lost.
/// </summary>
internal class CachedEntity(SpendEntityKind kind, string id, EntityPolicy policy)
{
    private EntityPolicy _policy = policy;

    public SpendEntityKind Kind { get; } = kind;

    public string Id { get; } = id;

    public EntityPolicy Policy
    {
        get => Volatile.Read(ref _policy);
        set => Volatile.Write(ref _policy, value);
    }

    public BudgetCounter Budget { get; } = new(kind, id);

    private int _stale;

    /// <summary>Changed through the management API here: the next request rereads its policy before using it.</summary>
    public bool IsStale => Volatile.Read(ref _stale) != 0;

    public void MarkStale() => Volatile.Write(ref _stale, 1);

    public void MarkFresh() => Volatile.Write(ref _stale, 0);

    public RateCounter Rate { get; } = new();
}
