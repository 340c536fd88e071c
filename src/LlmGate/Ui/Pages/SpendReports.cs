using LlmGate.Keys;

namespace LlmGate.Ui.Pages;

/// <summary>Folds spend-log rows into the page's breakdowns by key, team and model, per UTC day.</summary>
internal static class SpendReports
{
    public const int Days = 14;

    /// <summary>Rows one page view reads at most: a bound on memory and time, whatever the traffic.</summary>
    public const int MaxRows = 50_000;

    /// <summary>The first instant the report covers: the start of the UTC day <see cref="Days"/> - 1 days before today.</summary>
    public static DateTimeOffset Since(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return new DateTimeOffset(today.AddDays(-(Days - 1)).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
    }

    /// <param name="rows">The spend-log rows since <see cref="Since"/>.</param>
    /// <param name="keyNames">Each known key's token and its masked <c>sk-...abcd</c> name, for rows without an alias.</param>
    public static SpendReport Build(IReadOnlyList<SpendLogRow> rows, IReadOnlyDictionary<string, string> keyNames, bool truncated)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(keyNames);
        return new SpendReport(
            Days,
            Table("Spend by key", "Key", rows, r => KeyName(r, keyNames)),
            Table("Spend by team", "Team", rows, r => r.TeamId ?? "(no team)"),
            Table("Spend by model", "Model", rows, r => r.ModelGroup ?? r.Model ?? "(unknown)"),
            rows.Count,
            rows.Sum(r => r.Spend),
            truncated);
    }

    private static SpendTable Table(string title, string column, IReadOnlyList<SpendLogRow> rows, Func<SpendLogRow, string> nameOf) =>
        new(title, column, [.. rows
            .GroupBy(r => DateOnly.FromDateTime(r.StartTime.UtcDateTime))
            .OrderByDescending(day => day.Key)
            .Select(day => new SpendDay(
                day.Key,
                [.. day.GroupBy(nameOf, StringComparer.Ordinal)
                    .Select(g => new SpendLine(g.Key, g.Count(), g.Sum(r => r.Spend)))
                    .OrderByDescending(l => l.Spend)
                    .ThenBy(l => l.Name, StringComparer.Ordinal)],
                day.Count(),
                day.Sum(r => r.Spend)))]);

    // The alias when there is one, else the masked name; never the key (the log holds only its hash anyway).
    private static string KeyName(SpendLogRow row, IReadOnlyDictionary<string, string> keyNames) =>
        row.KeyAlias is { Length: > 0 } alias ? alias
        : row.ApiKey.Length == 0 ? "(master key)"
        : keyNames.GetValueOrDefault(row.ApiKey) ?? $"deleted key {row.ApiKey[..Math.Min(8, row.ApiKey.Length)]}…";
}
