using LlmGate.Configuration;
namespace LlmGate.Keys;

/// <summary>The budget and rate-limit fields keys, teams and users share, as sent in one request.</summary>
internal sealed record LimitFields(
    Field<double?> MaxBudget,
    Field<double?> SoftBudget,
    Field<string?> BudgetDuration,
    Field<long?> RpmLimit,
    Field<long?> TpmLimit,
    Field<long?> MaxParallelRequests)
{
    public static LimitFields Read(JsonBody body)
    {
        var budgetDuration = body.String("budget_duration");
        if (budgetDuration.Value is { } text && !Configuration.BudgetDuration.TryParse(text, out _))
        {
            throw ManagementException.BadRequest(
                $"budget_duration '{text}' is not a duration: use a count and s, m, h, d or mo, e.g. 30s, 30m, 30h, 30d, 1mo.",
                "budget_duration");
        }

        return new LimitFields(
            NotNegative(body.Number("max_budget"), "max_budget"),
            NotNegative(body.Number("soft_budget"), "soft_budget"),
            budgetDuration,
            NotNegative(body.Integer("rpm_limit"), "rpm_limit"),
            NotNegative(body.Integer("tpm_limit"), "tpm_limit"),
            NotNegative(body.Integer("max_parallel_requests"), "max_parallel_requests"));
    }

    /// <summary>
    /// The limits with the fields sent applied; a new or changed <c>budget_duration</c> starts its period now, as
    /// LiteLLM sets <c>budget_reset_at</c> on every create and update that carries one.
    /// </summary>
    public EntityLimits ApplyTo(EntityLimits limits, DateTimeOffset now)
    {
        var result = limits with
        {
            MaxBudget = MaxBudget.Present ? MaxBudget.Value : limits.MaxBudget,
            SoftBudget = SoftBudget.Present ? SoftBudget.Value : limits.SoftBudget,
            RpmLimit = RpmLimit.Present ? RpmLimit.Value : limits.RpmLimit,
            TpmLimit = TpmLimit.Present ? TpmLimit.Value : limits.TpmLimit,
            MaxParallelRequests = MaxParallelRequests.Present ? MaxParallelRequests.Value : limits.MaxParallelRequests,
        };
        if (!BudgetDuration.Present)
        {
            return result;
        }

        return BudgetDuration.Value is { } text && Configuration.BudgetDuration.TryParse(text, out var duration)
            ? result with { BudgetDuration = duration.ToString(), BudgetResetAt = duration.After(now) }
            : result with { BudgetDuration = null, BudgetResetAt = null };
    }

    private static Field<T?> NotNegative<T>(Field<T?> field, string name)
        where T : struct, IComparable<T>
    {
        if (field.Value is { } value && value.CompareTo(default) < 0)
        {
            throw ManagementException.BadRequest(
                $"{name} cannot be negative. Received: {Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)}", name);
        }

        return field;
    }
}
