namespace LlmGate.Keys;

internal enum BudgetDurationUnit
{
    Second,
    Minute,
    Hour,
    Day,
    Month,
}
