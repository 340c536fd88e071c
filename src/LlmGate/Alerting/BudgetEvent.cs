namespace LlmGate.Alerting;

/// <summary>
/// A budget alert's numbers, as LiteLLM's <c>WebhookEvent</c> names them: <see cref="Event"/> is
/// <c>threshold_crossed</c>, <c>budget_crossed</c> or <c>soft_budget_crossed</c>; <see cref="EventGroup"/> is
/// <c>key</c>, <c>team</c>, <c>internal_user</c> or <c>proxy</c>. <see cref="Token"/> is the key's hash, never the key.
/// </summary>
internal sealed record BudgetEvent(string Event, string EventGroup, string EventMessage, double Spend)
{
    public double? MaxBudget { get; init; }

    public double? SoftBudget { get; init; }

    public string? Token { get; init; }

    public string? KeyAlias { get; init; }

    public string? UserId { get; init; }

    public string? TeamId { get; init; }

    public string? TeamAlias { get; init; }

    public DateTimeOffset? ResetAt { get; init; }
}
