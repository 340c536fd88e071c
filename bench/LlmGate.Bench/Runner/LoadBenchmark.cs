using LlmGate.Bench.Reporting;
using Spectre.Console;

namespace LlmGate.Bench.Runner;

/// <summary>The load benchmark from start to report: checks, runs, prints the table, writes the JSON and the chart.</summary>
internal static class LoadBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options, IAnsiConsole console, CancellationToken cancellationToken)
    {
        if (options.Targets.Any(t => t.IsGateway) && !File.Exists(options.GatewayProgram))
        {
            console.MarkupLineInterpolated($"[red]gateway not found at {options.GatewayProgram}[/]: build it with 'dotnet build src/LlmGate -c Release' or pass --gateway.");
            return 2;
        }

        console.MarkupLineInterpolated(
            $"[grey]{(options.Quick ? "quick" : "full")} run: {options.Targets.Count} targets × {options.Scenarios.Count} scenarios × concurrency {string.Join('/', options.Concurrencies)}, {options.PointWarmup.TotalSeconds:0.#} s warm-up + {options.Duration.TotalSeconds:0.#} s per point; {options.Layout.Describe()}[/]");
        var report = await new BenchRunner(options, console).RunAsync(cancellationToken);
        ResultTable.Write(console, report);
        await JsonReport.WriteAsync(report, options.OutputPath);
        console.MarkupLineInterpolated($"JSON: {options.OutputPath}");
        if (options.ChartPath is { } chartPath)
        {
            LatencyChart.Save(report, chartPath);
            console.MarkupLineInterpolated($"Chart: {chartPath}");
        }

        var errors = report.Points.Sum(p => p.Errors)
            + report.TargetResults.Sum(t => (t.FirstSecondsErrors ?? 0) + (t.WrkNon2xx ?? 0))
            + report.IdleStreams.Sum(i => i.Errors);
        var empty = report.Points.Count(p => p.Requests == 0)
            + report.TargetResults.Count(t => t.FirstSecondsRequestsPerSecond is 0);
        if (errors > 0 || empty > 0)
        {
            console.MarkupLineInterpolated($"[red]{errors} errors (load points, first seconds, wrk, idle streams), {empty} measurements without a completed request.[/]");
            return 1;
        }

        return 0;
    }
}
