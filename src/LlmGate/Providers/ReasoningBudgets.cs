namespace LlmGate.Providers;

/// <summary>
/// LiteLLM's thinking budgets per <c>reasoning_effort</c> (<c>DEFAULT_REASONING_EFFORT_*_THINKING_BUDGET</c>), and
/// their inverse, so a budget and an effort translate alike whichever way a request crosses.
/// </summary>
internal static class ReasoningBudgets
{
    public const int Minimal = 128;
    public const int Low = 1024;
    public const int Medium = 2048;
    public const int High = 4096;

    /// <summary>
    /// Claude's thinking budget for a <c>reasoning_effort</c> (LiteLLM's <c>AnthropicConfig._map_reasoning_effort</c>):
    /// null for <c>none</c> (no thinking); false for an effort Claude has no budget for. 1024 is Claude's least.
    /// </summary>
    public static bool TryClaudeBudget(string? effort, out int? budget)
    {
        budget = effort switch
        {
            "minimal" or "low" => Low,
            "medium" => Medium,
            "high" => High,
            _ => null,
        };
        return budget is not null || effort == "none";
    }

    /// <summary>A thinking budget as an effort, bucketed at the same thresholds (LiteLLM's <c>reasoning_effort_from_thinking_budget</c>).</summary>
    public static string EffortFor(long budgetTokens) => budgetTokens switch
    {
        >= High => "high",
        >= Medium => "medium",
        >= Low => "low",
        _ => "minimal",
    };
}
