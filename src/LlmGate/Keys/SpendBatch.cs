namespace LlmGate.Keys;

/// <summary>
/// Spend gathered in memory since the last write, applied by <see cref="IKeyStore.ApplySpendAsync"/> in one
/// transaction. <see cref="BatchId"/> is recorded with it, so a batch retried after a lost reply is applied once.
/// </summary>
internal sealed record SpendBatch(
    Guid BatchId,
    IReadOnlyList<BudgetReset> Resets,
    IReadOnlyList<SpendIncrement> Increments,
    IReadOnlyList<SpendLogRow> Logs)
{
    public bool IsEmpty => Resets.Count == 0 && Increments.Count == 0 && Logs.Count == 0;
}
