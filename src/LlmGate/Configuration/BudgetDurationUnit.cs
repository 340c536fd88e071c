namespace LlmGate.Configuration;

internal enum BudgetDurationUnit
{
    Second,
    Minute,
    Hour,
    Day,
    Month,
}
