using System.Globalization;
using LlmGate.Configuration;

namespace LlmGate.Keys;

/// <summary>What a key, team or user allows, as last read from the store; replaced whole when it changes.</summary>
internal sealed record EntityPolicy(EntityLimits Limits, BudgetDuration? Duration, ModelAccess Models, bool Blocked)
{
    public static EntityPolicy Of(EntityLimits limits, IReadOnlyList<string> models, bool blocked) => new(
        limits,
        BudgetDuration.TryParse(limits.BudgetDuration, out var duration) ? duration : null,
        models.Count == 0 ? ModelAccess.All : new ModelAccess(models),
        blocked);

    /// <summary>A team's alias, for metrics labels; null for keys and users.</summary>
    public string? Alias { get; init; }

    public bool HasRateLimits => Limits.RpmLimit is not null || Limits.TpmLimit is not null || Limits.MaxParallelRequests is not null;

    /// <summary>The limits as header values, formatted once per policy rather than per call.</summary>
    public string? MaxBudgetText { get; } = Limits.MaxBudget?.ToString(CultureInfo.InvariantCulture);

    public string? RpmLimitText { get; } = Limits.RpmLimit?.ToString(CultureInfo.InvariantCulture);

    public string? TpmLimitText { get; } = Limits.TpmLimit?.ToString(CultureInfo.InvariantCulture);
}
