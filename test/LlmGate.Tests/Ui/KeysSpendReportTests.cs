using LlmGate.Keys;
using LlmGate.Ui.Components;
using LlmGate.Ui.Pages;

namespace LlmGate.Tests.Ui;

public sealed class KeysSpendReportTests
{
    private static readonly DateTimeOffset Day1 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static SpendLogRow Row(string id, DateTimeOffset at, double spend, string apiKey, string? alias, string? team, string model) => new()
    {
        RequestId = id,
        CallType = "acompletion",
        ApiKey = apiKey,
        KeyAlias = alias,
        TeamId = team,
        ModelGroup = model,
        Spend = spend,
        StartTime = at,
        EndTime = at,
        Status = "success",
    };

    [Fact]
    public void Since_Now_StartOfTheDayThirteenDaysBefore()
    {
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), SpendReports.Since(new DateTimeOffset(2026, 3, 14, 23, 59, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task Build_RowsOverTwoDays_LinesAndTotalsPerDay()
    {
        IReadOnlyList<SpendLogRow> rows =
        [
            Row("1", Day1, 1.0, "hash-a", "alpha", "team-1", "gpt-4o"),
            Row("2", Day1.AddHours(1), 0.5, "hash-a", "alpha", "team-1", "gpt-4o-mini"),
            Row("3", Day1.AddHours(2), 0.25, "hash-b", null, null, "gpt-4o"),
            Row("4", Day1.AddDays(1), 2.0, "", null, "team-1", "gpt-4o"),
        ];

        var report = SpendReports.Build(rows, new Dictionary<string, string> { ["hash-b"] = "sk-...wxyz" }, truncated: false);

        Assert.Equal(4, report.Requests);
        Assert.Equal(3.75, report.Total, 6);
        Assert.Equal([new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 1)], report.ByKey.Days.Select(d => d.Day));
        var first = report.ByKey.Days[1];
        Assert.Equal(1.75, first.Total, 6);
        Assert.Equal(3, first.Requests);
        Assert.Equal([("alpha", 2, 1.5), ("sk-...wxyz", 1, 0.25)], first.Lines.Select(l => (l.Name, l.Requests, l.Spend)));
        Assert.Equal("(master key)", Assert.Single(report.ByKey.Days[0].Lines).Name);
        Assert.Equal(["team-1", "(no team)"], report.ByTeam.Days[1].Lines.Select(l => l.Name));
        Assert.Equal(["gpt-4o", "gpt-4o-mini"], report.ByModel.Days[1].Lines.Select(l => l.Name));

        var html = await PagesTestRenderer.RenderAsync<KeysPage>(
            PagesTestRenderer.Context("keys", "Keys & spend"),
            new KeysModel(null, [], 0, KeyForm.Empty, null, null, null, report));
        Assert.Contains("data-day=\"2026-03-01\"", html, StringComparison.Ordinal);
        Assert.Contains("1.7500", html, StringComparison.Ordinal);
        Assert.DoesNotContain("hash-b", html, StringComparison.Ordinal);
    }
}
