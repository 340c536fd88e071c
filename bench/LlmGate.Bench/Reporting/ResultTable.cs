using System.Globalization;
using Spectre.Console;

namespace LlmGate.Bench.Reporting;

/// <summary>One Spectre.Console table per scenario, rows grouped by concurrency, targets in run order.</summary>
internal static class ResultTable
{
    public static void Write(IAnsiConsole console, BenchReport report)
    {
        foreach (var scenario in report.Settings.Scenarios.Where(s => report.Points.Any(p => p.Scenario == s)))
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
            table.AddColumn(new TableColumn("alloc B/req").RightAligned());
            table.AddColumn(new TableColumn("gen0/1k").RightAligned());
            table.AddColumn(new TableColumn("thr").RightAligned());
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
                cells.Add(point.AllocatedBytesPerRequest is { } allocated ? allocated.ToString("N0", CultureInfo.InvariantCulture) : "");
                cells.Add(point.Gen0Per1kRequests is { } gen0 ? gen0.ToString("0.00", CultureInfo.InvariantCulture) : "");
                cells.Add(point.ThreadsEnd is { } threads ? Number(threads) : "");
                cells.Add(Signed(point.AddedP50Ms));
                cells.Add(Signed(point.AddedP99Ms));
                cells.Add(point.ThroughputVsBareProxy is { } ratio ? ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "");
                table.AddRow(cells.ToArray());
            }

            console.Write(table);
        }

        WriteTargets(console, report);
        WriteIdleStreams(console, report);
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

        if (report.Settings.GatewayEnvironment is { Count: > 0 } environment)
        {
            console.MarkupLineInterpolated($"[grey]Gateway targets ran with {string.Join(' ', environment.Select(v => v.Key + "=" + v.Value))} (--gateway-env).[/]");
        }

        console.MarkupLineInterpolated(
            $"[grey]{report.Machine.Cores} cores, {report.Machine.CpuModel}; {report.Machine.CpuLayout}. PagerDuty events received: {report.PagerDutyEvents}; OTLP exports received: {report.TelemetryExports}; console viewers: {report.UiViewers}, live events they received: {report.UiViewerEvents}. {report.ElapsedSeconds:0} s.[/]");
    }

    // Start-up, first seconds and wrk: one row per target, only the columns that were measured.
    private static void WriteTargets(IAnsiConsole console, BenchReport report)
    {
        var results = report.TargetResults;
        if (results.Count == 0)
        {
            return;
        }

        var first = results.Any(r => r.FirstSecondsRequestsPerSecond is not null);
        var wrk = results.Any(r => r.WrkRequestsPerSecond is not null);
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]targets[/]");
        table.AddColumn("target");
        table.AddColumn(new TableColumn("startup ms").RightAligned());
        if (first)
        {
            table.AddColumn(new TableColumn("first req/s").RightAligned());
            table.AddColumn(new TableColumn("steady req/s").RightAligned());
            table.AddColumn(new TableColumn($"first{report.Settings.FirstSeconds:0.#} ×steady").RightAligned());
        }

        if (wrk)
        {
            table.AddColumn(new TableColumn("harness req/s").RightAligned());
            table.AddColumn(new TableColumn("wrk req/s").RightAligned());
            table.AddColumn(new TableColumn("wrk ×harness").RightAligned());
        }

        foreach (var result in results)
        {
            var cells = new List<string> { Markup.Escape(result.Target), result.StartupMs is { } startup ? startup.ToString("0", CultureInfo.InvariantCulture) : "" };
            if (first)
            {
                cells.Add(Rate(result.FirstSecondsRequestsPerSecond));
                cells.Add(Rate(result.SteadyRequestsPerSecond));
                cells.Add(Times(result.FirstSecondsVsSteady));
            }

            if (wrk)
            {
                cells.Add(Rate(result.SteadyRequestsPerSecond));
                cells.Add(Rate(result.WrkRequestsPerSecond) + (result.WrkNon2xx is > 0 ? $" [red]({result.WrkNon2xx} non-2xx)[/]" : ""));
                cells.Add(Times(result.WrkVsHarness));
            }

            table.AddRow(cells.ToArray());
        }

        console.Write(table);
        var legend = "startup ms: process started → first chat completion answered through it (median of its starts)"
            + (first ? string.Create(CultureInfo.InvariantCulture, $"; first: chat at 64 connections for {report.Settings.FirstSeconds:0.#} s from the first request a fresh start served, no warm-up; steady: the chat c=64 point") : "")
            + (wrk ? "; wrk: wrk -t1 -c64 on the warm target, chat, against the harness's chat c=64 point" : "");
        console.MarkupLine("[grey]" + Markup.Escape(legend) + ".[/]");
        if (!wrk && report.Settings.Wrk)
        {
            console.MarkupLine("[grey]wrk cross-check asked for, but no wrk result (wrk missing?).[/]");
        }
    }

    private static void WriteIdleStreams(IAnsiConsole console, BenchReport report)
    {
        if (report.IdleStreams.Count == 0)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]idle-streams[/]: {report.Settings.IdleStreams} streams, one chunk every {report.Settings.IdleChunkIntervalSeconds:0.#} s, held {report.Settings.IdleHoldSeconds:0.#} s; RSS = VmRSS");
        table.AddColumn("target");
        foreach (var name in new[] { "open", "open s", "idle RSS MiB", "RSS open MiB", "RSS held MiB", "KB/stream", "threads before→after", "pool threads", "alive at end", "err" })
        {
            table.AddColumn(new TableColumn(name).RightAligned());
        }

        foreach (var idle in report.IdleStreams)
        {
            table.AddRow(
                Markup.Escape(idle.Target),
                $"{idle.Opened}/{idle.Streams}",
                idle.OpenSeconds.ToString("0.0", CultureInfo.InvariantCulture),
                idle.IdleRssMib.ToString("0.0", CultureInfo.InvariantCulture),
                idle.OpenRssMib.ToString("0.0", CultureInfo.InvariantCulture),
                idle.HeldRssMib.ToString("0.0", CultureInfo.InvariantCulture),
                idle.KbPerStream.ToString("0.0", CultureInfo.InvariantCulture),
                $"{Optional(idle.ThreadsBefore)}→{Optional(idle.ThreadsAfter)}",
                $"{Optional(idle.ThreadPoolThreadsBefore)}→{Optional(idle.ThreadPoolThreadsAfter)}",
                Number(idle.AliveAtEnd),
                idle.Errors == 0 ? "0" : $"[red]{Number(idle.Errors)}[/]");
        }

        console.Write(table);
        foreach (var idle in report.IdleStreams.Where(i => i.Errors > 0))
        {
            console.MarkupLineInterpolated($"[red]{idle.Target} idle streams: {string.Join(", ", idle.ErrorKinds.Select(e => $"{e.Key}: {e.Value}"))}[/]");
        }
    }

    private static string Optional(int? value) => value is { } v ? Number(v) : "-";

    private static string Rate(double? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "";

    private static string Times(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "";

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
