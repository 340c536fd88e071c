namespace LlmGate.Keys;

/// <summary>
/// A budget period ended: spend goes back to 0 and <c>budget_reset_at</c> moves to <paramref name="NextResetAt"/> — only
/// when the stored <c>budget_reset_at</c> is still <paramref name="ExpectedResetAt"/>, so two replicas that both see the
/// period end reset it once.
/// </summary>
internal sealed record BudgetReset(SpendEntityKind Kind, string Id, DateTimeOffset? ExpectedResetAt, DateTimeOffset NextResetAt);
