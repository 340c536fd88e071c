using System.Globalization;
using Spectre.Console;

namespace LlmGate.Bench.Reporting;

/// <summary>One Spectre.Console table per scenario, rows grouped by concurrency, targets in run order.</summary>
internal static class ResultTable
{
    public static void Write(IAnsiConsole console, BenchReport report)
    {
        foreach (var scenario in report.Settings.Scenarios)
        {
            var stream = scenario == "stream";
            var table = new Table().Border(TableBorder.Rounded)
                .Title($"[bold]{scenario}[/]" + (stream ? $" ({report.Settings.StreamChunks} chunks)" : "") + ": latency in ms; +p50/+p99 vs direct; ×yarp = req/s over the bare proxy's");
            table.AddColumn("target");
            table.AddColumn(new TableColumn("c").RightAligned());
            table.AddColumn(new TableColumn("req/s").RightAligned());
            foreach (var name in new[] { "p50", "p90", "p99", "max" })
            {
                table.AddColumn(new TableColumn(name).RightAligned());
            }

            if (stream)
            {
                table.AddColumn(new TableColumn("1st p50").RightAligned());
            }

            table.AddColumn(new TableColumn("err").RightAligned());
            table.AddColumn(new TableColumn("RSS MiB").RightAligned());
            table.AddColumn(new TableColumn("CPU ms/1k").RightAligned());
            table.AddColumn(new TableColumn("+p50").RightAligned());
            table.AddColumn(new TableColumn("+p99").RightAligned());
            table.AddColumn(new TableColumn("×yarp").RightAligned());

            var rows = report.Points.Where(p => p.Scenario == scenario).OrderBy(p => p.Concurrency).ToArray();
            for (var i = 0; i < rows.Length; i++)
            {
                var point = rows[i];
                if (i > 0 && rows[i - 1].Concurrency != point.Concurrency)
                {
                    table.AddEmptyRow();
                }

                var cells = new List<string>
                {
                    Markup.Escape(point.Target),
                    Number(point.Concurrency),
                    point.RequestsPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                    Milliseconds(point.LatencyMs?.P50),
                    Milliseconds(point.LatencyMs?.P90),
                    Milliseconds(point.LatencyMs?.P99),
                    Milliseconds(point.LatencyMs?.Max),
                };
                if (stream)
                {
                    cells.Add(Milliseconds(point.FirstChunkMs?.P50));
                }

                cells.Add(point.Errors == 0 ? "0" : $"[red]{Number(point.Errors)}[/]");
                cells.Add(point.PeakRssMib.ToString("0.0", CultureInfo.InvariantCulture));
                cells.Add(point.CpuMsPer1kRequests.ToString("0.0", CultureInfo.InvariantCulture));
                cells.Add(Signed(point.AddedP50Ms));
                cells.Add(Signed(point.AddedP99Ms));
                cells.Add(point.ThroughputVsBareProxy is { } ratio ? ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "");
                table.AddRow(cells.ToArray());
            }

            console.Write(table);
        }

        if (report.Settings.Rounds > 1)
        {
            console.MarkupLineInterpolated($"[grey]Each row is the median of {report.Settings.Rounds} rounds by req/s; every round's figures are in the JSON.[/]");
        }

        var disturbed = report.Points.Where(p => p.OtherProcessesCpuCores > 0.1).ToArray();
        if (disturbed.Length > 0)
        {
            console.MarkupLineInterpolated(
                $"[yellow]Other processes used CPU during {disturbed.Length} of {report.Points.Count} windows (up to {disturbed.Max(p => p.OtherProcessesCpuCores):0.00} cores): those figures are disturbed.[/]");
        }

        console.MarkupLineInterpolated(
            $"[grey]{report.Machine.Cores} cores, {report.Machine.CpuModel}; {report.Machine.CpuLayout}. PagerDuty events received: {report.PagerDutyEvents}; OTLP exports received: {report.TelemetryExports}; console viewers: {report.UiViewers}, live events they received: {report.UiViewerEvents}. {report.ElapsedSeconds:0} s.[/]");
    }

    private static string Signed(double? value) => value is { } v ? v.ToString(Math.Abs(v) < 10 ? "+0.000;-0.000;0" : "+0.0;-0.0;0", CultureInfo.InvariantCulture) : "";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Milliseconds(double? value) => value switch
    {
        null => "",
        < 10 => value.Value.ToString("0.000", CultureInfo.InvariantCulture),
        < 100 => value.Value.ToString("0.00", CultureInfo.InvariantCulture),
        _ => value.Value.ToString("0.0", CultureInfo.InvariantCulture),
    };
}
