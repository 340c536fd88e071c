using System.Diagnostics;
using System.Globalization;
using LlmGate.Bench.Load;
using LlmGate.Bench.Reporting;
using LlmGate.Bench.Targets;
using LlmGate.Testing;
using Spectre.Console;

namespace LlmGate.Bench.Runner;

/// <summary>
/// Runs every target, one at a time, through every scenario and concurrency: starts the fake upstream and the target,
/// warms the target up, measures each point, then stops both. The fake PagerDuty lives for the whole run.
/// </summary>
internal sealed class BenchRunner(BenchOptions options, IAnsiConsole console)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private long _uiViewerEvents;

    public async Task<BenchReport> RunAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var created = TimeProvider.System.GetUtcNow();
        var loadBefore = SystemCpu.LoadAverage();
        var busyBefore = await SystemCpu.BusyCoresAsync(TimeSpan.FromSeconds(1));
        if (busyBefore > 0.2)
        {
            console.MarkupLineInterpolated($"[yellow]Other processes are using {busyBefore:0.00} cores before the run: they will disturb the numbers (see other_processes_cpu_cores in the JSON).[/]");
        }

        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var telemetry = await TelemetrySink.StartAsync();
        _uiViewerEvents = 0;
        var rounds = new List<PointResult>();
        for (var round = 0; round < options.Rounds; round++)
        {
            if (options.Rounds > 1)
            {
                console.MarkupLineInterpolated($"[bold]round {round + 1} of {options.Rounds}[/]");
            }

            // Reversed every other round, so a drift of the machine weighs on every target alike.
            foreach (var target in round % 2 == 0 ? options.Targets : options.Targets.Reverse())
            {
                cancellationToken.ThrowIfCancellationRequested();
                rounds.AddRange(await RunTargetAsync(target, pagerDuty, telemetry, cancellationToken));
            }
        }

        var points = Rounds.Median(rounds, options.Targets.Select(t => t.Name).ToArray());

        return new BenchReport
        {
            Created = created,
            Machine = MachineInfo.Current(options.Layout.Describe()),
            Settings = new BenchSettings(
                options.Quick,
                options.Targets.Select(t => t.Name).ToArray(),
                options.Scenarios.Select(s => s.Name).ToArray(),
                options.Concurrencies,
                options.TargetWarmup.TotalSeconds,
                options.PointWarmup.TotalSeconds,
                options.Duration.TotalSeconds,
                options.Rounds,
                options.StreamChunks,
                options.FirstByteDelay.TotalMilliseconds,
                options.ChunkDelay.TotalMilliseconds),
            Points = Comparisons.Add(points),
            PagerDutyEvents = pagerDuty.Requests.Count,
            TelemetryExports = telemetry.Exports,
            UiViewers = options.Targets.Any(t => t.Kind == TargetKind.GatewayViewed) ? options.UiViewers : 0,
            UiViewerEvents = _uiViewerEvents,
            LoadAverageBefore = loadBefore,
            LoadAverageAfter = SystemCpu.LoadAverage(),
            ElapsedSeconds = Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1),
        };
    }

    private async Task<List<PointResult>> RunTargetAsync(BenchTarget target, FakePagerDuty pagerDuty, TelemetrySink telemetry, CancellationToken cancellationToken)
    {
        console.MarkupLineInterpolated($"[bold]{target.Name}[/]: {target.Description}");
        var dataDirectory = Directory.CreateTempSubdirectory("llmgate-bench-");
        var upstreamPorts = Enumerable.Range(0, target.UpstreamPorts).Select(_ => ChildProcess.FreePort()).ToArray();
        var targetPort = target.Kind == TargetKind.Direct ? upstreamPorts[0] : ChildProcess.FreePort();
        ChildProcess? upstream = null;
        ChildProcess? process = null;
        ConsoleViewers? viewers = null;
        try
        {
            // The direct target is the fake upstream itself, started on the target's core.
            var upstreamCores = target.Kind == TargetKind.Direct ? options.Layout.TargetCores : options.Layout.AuxiliaryCores;
            upstream = ChildProcess.Start("fake upstream", options.BenchDll, UpstreamArguments(upstreamPorts), upstreamCores);
            foreach (var port in upstreamPorts)
            {
                await upstream.WaitForPortAsync(port, StartTimeout);
            }

            process = target.Kind switch
            {
                TargetKind.Direct => upstream,
                TargetKind.BareProxy => ChildProcess.Start(
                    "bare proxy", options.BenchDll,
                    ["serve-yarp", "--port", Invariant(targetPort), "--upstream", $"http://127.0.0.1:{upstreamPorts[0]}/"],
                    options.Layout.TargetCores),
                _ => StartGateway(target, upstreamPorts, targetPort, dataDirectory.FullName, pagerDuty, telemetry),
            };
            await process.WaitForPortAsync(targetPort, StartTimeout);
            if (target.Kind == TargetKind.GatewayKeys)
            {
                await CreateVirtualKeyAsync(targetPort, cancellationToken);
            }

            if (target.Kind == TargetKind.GatewayViewed)
            {
                // Open before the warm-up, so every window is measured with the viewers streaming.
                viewers = await ConsoleViewers.StartAsync(targetPort, options.UiViewers, GatewayConfigFile.MasterKey, cancellationToken);
                console.MarkupLineInterpolated($"  {options.UiViewers} console viewers signed in through /ui/login, streaming /ui/api/events");
            }

            var warmupConcurrency = Math.Min(16, options.Concurrencies.Max());
            foreach (var scenario in options.Scenarios)
            {
                var warmup = new LoadRun(
                    LoadRequest.ChatCompletion(targetPort, scenario.IsStream, target.ApiKey),
                    new LoadPlan { Concurrency = warmupConcurrency, Warmup = TimeSpan.Zero, Duration = options.TargetWarmup });
                var warm = await warmup.RunAsync();
                if (warm.Completed == 0)
                {
                    throw new InvalidOperationException(
                        $"{target.Name} answered no {scenario.Name} request during warm-up ({string.Join(", ", warm.ErrorKinds.Select(e => $"{e.Key}: {e.Value}"))}):\n{process.Output()}");
                }
            }

            var points = new List<PointResult>();
            foreach (var scenario in options.Scenarios)
            {
                foreach (var concurrency in options.Concurrencies)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var point = await MeasureAsync(target, scenario, concurrency, targetPort, process.Id, process == upstream ? null : upstream.Id);
                    points.Add(point);
                    console.MarkupLineInterpolated(
                        $"  {scenario.Name,-6} c={concurrency,-4} {point.RequestsPerSecond,10:N0} req/s  p50 {point.LatencyMs?.P50 ?? 0,8:0.000} ms  p99 {point.LatencyMs?.P99 ?? 0,8:0.000} ms  errors {point.Errors}  other processes {point.OtherProcessesCpuCores:0.00} cores");
                }
            }

            if (viewers is not null)
            {
                if (viewers.Failure is { } failure || viewers.Events == 0)
                {
                    throw new InvalidOperationException($"llmgate-viewed: the console viewers did not stream for the whole run ({viewers.Failure ?? "no event received"})");
                }

                Interlocked.Add(ref _uiViewerEvents, viewers.Events);
            }

            return points;
        }
        finally
        {
            if (viewers is not null)
            {
                await viewers.DisposeAsync();
            }

            if (process is not null && process != upstream)
            {
                await process.DisposeAsync();
            }

            if (upstream is not null)
            {
                await upstream.DisposeAsync();
            }

            TryDelete(dataDirectory);
        }
    }

    private async Task<PointResult> MeasureAsync(BenchTarget target, Scenario scenario, int concurrency, int port, int pid, int? upstreamPid)
    {
        var request = LoadRequest.ChatCompletion(port, scenario.IsStream, target.ApiKey);
        var run = new LoadRun(request, new LoadPlan { Concurrency = concurrency, Warmup = options.PointWarmup, Duration = options.Duration });
        var peakReset = false;
        TimeSpan cpuStart = default, cpuEnd = default, ownStart = default, ownEnd = default, busyStart = default, busyEnd = default;
        long peak = 0;
        var result = await run.RunAsync(
            () =>
            {
                peakReset = ProcessStats.TryResetPeak(pid);
                busyStart = SystemCpu.BusyTime();
                cpuStart = ProcessStats.CpuTime(pid);
                ownStart = OwnCpu(upstreamPid);
            },
            () =>
            {
                busyEnd = SystemCpu.BusyTime();
                cpuEnd = ProcessStats.CpuTime(pid);
                ownEnd = OwnCpu(upstreamPid);
                peak = ProcessStats.PeakResidentBytes(pid);
            });

        var cpu = cpuEnd - cpuStart;
        var others = (busyEnd - busyStart) - cpu - (ownEnd - ownStart);
        return new PointResult
        {
            Target = target.Name,
            Scenario = scenario.Name,
            Concurrency = concurrency,
            WindowSeconds = Math.Round(result.Window.TotalSeconds, 3),
            Requests = result.Completed,
            RequestsPerSecond = Math.Round(result.RequestsPerSecond, 1),
            LatencyMs = LatencySummary.From(result.Latency),
            FirstChunkMs = scenario.IsStream ? LatencySummary.From(result.FirstChunk) : null,
            Errors = result.Errors,
            ErrorKinds = result.ErrorKinds,
            PeakRssMib = Math.Round(peak / (1024.0 * 1024), 1),
            PeakRssIsWindowPeak = peakReset,
            CpuMsPer1kRequests = result.Completed == 0 ? 0 : Math.Round(cpu.TotalMilliseconds * 1000 / result.Completed, 2),
            TargetCpuCores = Math.Round(cpu / result.Window, 3),
            GeneratorCpuCores = Math.Round(result.GeneratorCpuShare, 3),
            OtherProcessesCpuCores = Math.Round(Math.Max(0, others / result.Window), 2),
        };
    }

    // The harness's own CPU and the fake upstream's, when it is not the target.
    private static TimeSpan OwnCpu(int? upstreamPid) =>
        Process.GetCurrentProcess().TotalProcessorTime + (upstreamPid is { } id ? ProcessStats.CpuTime(id) : TimeSpan.Zero);

    private ChildProcess StartGateway(BenchTarget target, int[] upstreamPorts, int port, string dataDirectory, FakePagerDuty pagerDuty, TelemetrySink telemetry)
    {
        var configPath = Path.Combine(dataDirectory, "config.yaml");
        File.WriteAllText(configPath, GatewayConfigFile.Yaml(target.Kind, upstreamPorts));
        var environment = new Dictionary<string, string>();
        if (target.HasAlerting)
        {
            environment["PAGERDUTY_API_KEY"] = GatewayConfigFile.PagerDutyRoutingKey;
            environment["PAGERDUTY_EVENTS_URL"] = pagerDuty.EventsUrl.ToString();
        }

        if (target.Kind == TargetKind.GatewayObserved)
        {
            // LiteLLM's otel settings: OTLP over HTTP to the sink, traces and GenAI metrics.
            environment["OTEL_EXPORTER"] = "otlp_http";
            environment["OTEL_ENDPOINT"] = telemetry.Root.ToString();
        }

        return ChildProcess.Start(
            target.Name,
            options.GatewayDll,
            ["--config", configPath, "--host", "127.0.0.1", "--port", Invariant(port), "--data-dir", Path.Combine(dataDirectory, "data")],
            options.Layout.TargetCores,
            environment.Count == 0 ? null : environment);
    }

    private static async Task CreateVirtualKeyAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Invariant(port)}/") };
        using var request = new HttpRequestMessage(HttpMethod.Post, "key/generate")
        {
            Content = new StringContent(GatewayConfigFile.VirtualKeyRequest, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", GatewayConfigFile.MasterKey);
        using var response = await client.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"llmgate-keys: /key/generate answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    private IEnumerable<string> UpstreamArguments(int[] ports)
    {
        yield return "serve-upstream";
        foreach (var port in ports)
        {
            yield return "--port";
            yield return Invariant(port);
        }

        yield return "--chunks";
        yield return Invariant(options.StreamChunks);
        yield return "--first-byte-delay-ms";
        yield return options.FirstByteDelay.TotalMilliseconds.ToString(CultureInfo.InvariantCulture);
        yield return "--chunk-delay-ms";
        yield return options.ChunkDelay.TotalMilliseconds.ToString(CultureInfo.InvariantCulture);
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void TryDelete(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a process that is going away; the temp directory is cleaned eventually.
        }
    }
}
