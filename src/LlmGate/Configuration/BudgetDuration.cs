using System.Globalization;

namespace LlmGate.Configuration;

/// <summary>
/// A <c>budget_duration</c> or <c>duration</c> as LiteLLM writes it: a count and a unit, <c>s</c>, <c>m</c>, <c>h</c>,
/// <c>d</c> or <c>mo</c> (calendar months), e.g. <c>30s</c>, <c>30d</c>, <c>1mo</c>.
/// </summary>
internal readonly record struct BudgetDuration(int Count, BudgetDurationUnit Unit)
{
    public static bool TryParse(string? text, out BudgetDuration duration)
    {
        duration = default;
        var span = text.AsSpan().Trim();
        var digits = 0;
        while (digits < span.Length && char.IsAsciiDigit(span[digits]))
        {
            digits++;
        }

        if (digits == 0 || !int.TryParse(span[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0)
        {
            return false;
        }

        BudgetDurationUnit? unit = span[digits..] switch
        {
            "s" => BudgetDurationUnit.Second,
            "m" => BudgetDurationUnit.Minute,
            "h" => BudgetDurationUnit.Hour,
            "d" => BudgetDurationUnit.Day,
            "mo" => BudgetDurationUnit.Month,
            _ => null,
        };
        if (unit is null)
        {
            return false;
        }

        duration = new BudgetDuration(count, unit.Value);
        return true;
    }

    /// <summary>The moment one duration after <paramref name="from"/>; months are calendar months.</summary>
    public DateTimeOffset After(DateTimeOffset from) => Unit switch
    {
        BudgetDurationUnit.Second => from.AddSeconds(Count),
        BudgetDurationUnit.Minute => from.AddMinutes(Count),
        BudgetDurationUnit.Hour => from.AddHours(Count),
        BudgetDurationUnit.Day => from.AddDays(Count),
        _ => from.AddMonths(Count),
    };

    /// <summary>
    /// The first reset after <paramref name="now"/> of a period that was due at <paramref name="due"/>: periods that
    /// passed unseen (a gateway stopped for a while) are skipped, not replayed.
    /// </summary>
    public DateTimeOffset NextAfter(DateTimeOffset due, DateTimeOffset now)
    {
        var next = After(due);
        while (next <= now)
        {
            next = After(next);
        }

        return next;
    }

    public override string ToString() => Count.ToString(CultureInfo.InvariantCulture) + Unit switch
    {
        BudgetDurationUnit.Second => "s",
        BudgetDurationUnit.Minute => "m",
        BudgetDurationUnit.Hour => "h",
        BudgetDurationUnit.Day => "d",
        _ => "mo",
    };
}
