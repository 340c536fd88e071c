namespace LlmGate.Keys;

/// <summary>
/// The budget and rate-limit fields keys, teams and users share (LiteLLM's names): null means "no limit". Money is
/// in USD, as LiteLLM's floats.
/// </summary>
internal sealed record EntityLimits
{
    public static readonly EntityLimits None = new();

    /// <summary><c>max_budget</c>: spend at or above it refuses calls with 429 <c>budget_exceeded</c>.</summary>
    public double? MaxBudget { get; init; }

    /// <summary><c>soft_budget</c>: crossing it alerts, never refuses.</summary>
    public double? SoftBudget { get; init; }

    /// <summary><c>budget_duration</c> as given (<c>30s</c>, <c>30m</c>, <c>30h</c>, <c>30d</c>, <c>1mo</c>); null: spend never resets.</summary>
    public string? BudgetDuration { get; init; }

    /// <summary><c>budget_reset_at</c>: when spend next resets to 0; null without a duration.</summary>
    public DateTimeOffset? BudgetResetAt { get; init; }

    /// <summary><c>rpm_limit</c>: requests per minute.</summary>
    public long? RpmLimit { get; init; }

    /// <summary><c>tpm_limit</c>: tokens per minute (total tokens, LiteLLM's documented default).</summary>
    public long? TpmLimit { get; init; }

    /// <summary><c>max_parallel_requests</c>: calls in flight at once.</summary>
    public long? MaxParallelRequests { get; init; }
}
