using System.Globalization;
using ScottPlot;

namespace LlmGate.Bench.Reporting;

/// <summary>
/// Latency against concurrency, one panel per scenario side by side: p50 as a solid line and p99 dashed, one colour
/// per target. Concurrency is spaced evenly (1, 16, 64, 256), latency on a log scale so the direct target and the
/// proxies stay readable together.
/// </summary>
internal static class LatencyChart
{
    private const int PanelWidth = 800;
    private const int Height = 560;

    public static void Save(BenchReport report, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var scenarios = report.Settings.Scenarios;
        var concurrencies = report.Settings.Concurrencies;
        var panels = scenarios.Select(scenario => Panel(report, scenario, concurrencies)).ToArray();
        using var surface = SkiaSharp.SKSurface.Create(new SkiaSharp.SKImageInfo(PanelWidth * panels.Length, Height));
        for (var i = 0; i < panels.Length; i++)
        {
            // Each panel on its own surface: a plot paints its background over the whole canvas it is given.
            using var panelSurface = SkiaSharp.SKSurface.Create(new SkiaSharp.SKImageInfo(PanelWidth, Height));
            panels[i].Render(panelSurface.Canvas, PanelWidth, Height);
            using var panelImage = panelSurface.Snapshot();
            surface.Canvas.DrawImage(panelImage, i * PanelWidth, 0);
        }

        using var image = surface.Snapshot();
        using var png = image.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        png.SaveTo(file);
    }

    private static Plot Panel(BenchReport report, string scenario, IReadOnlyList<int> concurrencies)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var positions = Enumerable.Range(0, concurrencies.Count).Select(i => (double)i).ToArray();
        var targets = report.Points.Select(p => p.Target).Distinct().ToArray();
        for (var t = 0; t < targets.Length; t++)
        {
            var color = palette.GetColor(t);
            var points = concurrencies
                .Select((c, i) => (Position: positions[i], Point: report.Points.FirstOrDefault(p => p.Target == targets[t] && p.Scenario == scenario && p.Concurrency == c)))
                .Where(x => x.Point?.LatencyMs is not null)
                .ToArray();
            if (points.Length == 0)
            {
                continue;
            }

            var xs = points.Select(x => x.Position).ToArray();
            var p50 = plot.Add.Scatter(xs, points.Select(x => Math.Log10(x.Point!.LatencyMs!.P50)).ToArray(), color);
            p50.LegendText = targets[t] + " p50";
            p50.LineWidth = 2;
            var p99 = plot.Add.Scatter(xs, points.Select(x => Math.Log10(x.Point!.LatencyMs!.P99)).ToArray(), color);
            p99.LegendText = targets[t] + " p99";
            p99.LinePattern = LinePattern.Dashed;
            p99.MarkerShape = MarkerShape.OpenCircle;
        }

        plot.Axes.Bottom.SetTicks(positions, concurrencies.Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => Math.Pow(10, y).ToString("0.###", CultureInfo.InvariantCulture),
        };
        plot.Axes.SetLimitsX(-0.3, concurrencies.Count - 0.7);
        plot.Title($"{scenario}: latency vs concurrency" + (scenario == "stream" ? $" ({report.Settings.StreamChunks} chunks)" : ""));
        plot.XLabel("concurrent connections (closed loop)");
        plot.YLabel("latency, ms (log scale)");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }
}
