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
        if (options.Scenarios.Any(s => s.IsIdle))
        {
            // The harness holds N sockets, the fake upstream N, the target 2N; the children inherit this limit.
            var limit = FileDescriptorLimit.TryRaise((4L * options.IdleStreams) + 4096);
            if (limit < (2L * options.IdleStreams) + 1024)
            {
                console.MarkupLineInterpolated($"[yellow]The open-files limit is {limit} and could not be raised: {options.IdleStreams} idle streams need about {(2L * options.IdleStreams) + 1024} in the target (raise it with ulimit -n, as root).[/]");
            }
        }

        if (options.Wrk && WrkCrossCheck.Executable is null)
        {
            console.MarkupLine("[yellow]--wrk: wrk is not on PATH; the cross-check is skipped (apt-get install wrk).[/]");
        }

        var rounds = new List<PointResult>();
        var targetRounds = new List<TargetResult>();
        var idleRounds = new List<IdleStreamsResult>();
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
                var run = await RunTargetAsync(target, pagerDuty, telemetry, cancellationToken);
                rounds.AddRange(run.Points);
                targetRounds.Add(run.Target);
                if (run.Idle is not null)
                {
                    idleRounds.Add(run.Idle);
                }
            }
        }

        var order = options.Targets.Select(t => t.Name).ToArray();
        var points = Comparisons.Add(Rounds.Median(rounds, order));

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
                options.ChunkDelay.TotalMilliseconds,
                options.FirstSeconds,
                options.Wrk && WrkCrossCheck.Executable is not null,
                options.Scenarios.Any(s => s.IsIdle) ? options.IdleStreams : 0,
                options.IdleChunkInterval.TotalSeconds,
                options.IdleHold.TotalSeconds,
                Path.GetFileName(options.GatewayProgram),
                options.GatewayEnvironment.Count > 0 ? options.GatewayEnvironment : null),
            Points = points,
            TargetResults = Comparisons.Add(Rounds.Median(targetRounds, order), points),
            IdleStreams = Rounds.Median(idleRounds, order),
            PagerDutyEvents = pagerDuty.Requests.Count,
            TelemetryExports = telemetry.Exports,
            UiViewers = options.Targets.Any(t => t.Kind == TargetKind.GatewayViewed) ? options.UiViewers : 0,
            UiViewerEvents = _uiViewerEvents,
            LoadAverageBefore = loadBefore,
            LoadAverageAfter = SystemCpu.LoadAverage(),
            ElapsedSeconds = Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1),
        };
    }

    private async Task<TargetRun> RunTargetAsync(BenchTarget target, FakePagerDuty pagerDuty, TelemetrySink telemetry, CancellationToken cancellationToken)
    {
        console.MarkupLineInterpolated($"[bold]{target.Name}[/]: {target.Description}");
        var dataDirectory = Directory.CreateTempSubdirectory("llmgate-bench-");
        var upstreamPorts = Enumerable.Range(0, target.UpstreamPorts).Select(_ => ChildProcess.FreePort()).ToArray();
        var targetPort = target.Kind == TargetKind.Direct ? upstreamPorts[0] : ChildProcess.FreePort();
        var direct = target.Kind == TargetKind.Direct;
        var probe = RuntimeProbe.For(dataDirectory.FullName);
        var startups = new List<double>();
        var result = new TargetResult { Target = target.Name };
        ChildProcess? upstream = null;
        ChildProcess? process = null;
        ConsoleViewers? viewers = null;
        try
        {
            // The direct target is the fake upstream itself, started on the target's core, with the probe.
            var upstreamCores = direct ? options.Layout.TargetCores : options.Layout.AuxiliaryCores;
            var upstreamEnvironment = new Dictionary<string, string>();
            if (direct)
            {
                probe.AddTo(upstreamEnvironment);
            }

            upstream = ChildProcess.Start("fake upstream", options.BenchDll, UpstreamArguments(upstreamPorts), upstreamCores, upstreamEnvironment);
            if (direct)
            {
                startups.Add(await StartupAsync(upstream, targetPort));
            }

            foreach (var port in upstreamPorts)
            {
                await upstream.WaitForPortAsync(port, StartTimeout);
            }

            if (options.FirstSeconds > 0 && !direct)
            {
                var (startup, first) = await FirstSecondsAsync(target, upstreamPorts, dataDirectory.FullName, pagerDuty, telemetry, cancellationToken);
                startups.Add(startup);
                result = result with
                {
                    FirstSecondsRequestsPerSecond = Math.Round(first.RequestsPerSecond, 1),
                    FirstSecondsWindowSeconds = Math.Round(first.Window.TotalSeconds, 3),
                    FirstSecondsErrors = first.Errors,
                };
                console.MarkupLineInterpolated(
                    $"  fresh start: first request answered after {startup:0} ms; chat c={Comparisons.HeadlineConcurrency} from then, no warm-up: {first.RequestsPerSecond,10:N0} req/s over {first.Window.TotalSeconds:0.#} s, errors {first.Errors}");
            }

            process = direct ? upstream : StartTarget(target, upstreamPorts, targetPort, Path.Combine(dataDirectory.FullName, "main"), probe, pagerDuty, telemetry);
            if (!direct)
            {
                startups.Add(await StartupAsync(process, targetPort));
            }

            console.MarkupLineInterpolated($"  started: first chat completion answered {startups[^1]:0} ms after the process started; runtime probe {(probe.TrySample() is null ? "[yellow]not loaded[/]" : "loaded")}");
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

            var loadScenarios = options.Scenarios.Where(s => !s.IsIdle).ToArray();
            var warmupConcurrency = Math.Min(16, options.Concurrencies.Max());
            foreach (var scenario in loadScenarios.Length > 0 ? loadScenarios : [Scenario.Streamed])
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
            foreach (var scenario in loadScenarios)
            {
                foreach (var concurrency in options.Concurrencies)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var point = await MeasureAsync(target, scenario, concurrency, targetPort, process.Id, process == upstream ? null : upstream.Id, probe);
                    points.Add(point);
                    console.MarkupLineInterpolated(
                        $"  {scenario.Name,-6} c={concurrency,-4} {point.RequestsPerSecond,10:N0} req/s  p50 {point.LatencyMs?.P50 ?? 0,8:0.000} ms  p99 {point.LatencyMs?.P99 ?? 0,8:0.000} ms  errors {point.Errors}  alloc {point.AllocatedBytesPerRequest?.ToString("N0", CultureInfo.InvariantCulture) ?? "-"} B/req  other processes {point.OtherProcessesCpuCores:0.00} cores");
                }
            }

            if (options.Wrk && WrkCrossCheck.Executable is not null)
            {
                var wrk = await WrkCrossCheck.RunAsync(targetPort, target.ApiKey, Comparisons.HeadlineConcurrency, options.Duration, dataDirectory.FullName);
                result = result with { WrkRequestsPerSecond = wrk.RequestsPerSecond, WrkNon2xx = wrk.Non2xx, WrkSocketErrors = wrk.SocketErrors };
                console.MarkupLineInterpolated($"  wrk -t1 -c{Comparisons.HeadlineConcurrency} chat: {wrk.RequestsPerSecond,10:N0} req/s, non-2xx {wrk.Non2xx}{(wrk.SocketErrors is null ? "" : ", socket errors" + wrk.SocketErrors)}");
            }

            IdleStreamsResult? idle = null;
            if (options.Scenarios.Any(s => s.IsIdle))
            {
                idle = await new IdleStreamsRun(options.IdleStreams, options.IdleOpenLimit, options.IdleHold)
                    .RunAsync(target.Name, targetPort, target.ApiKey, process.Id, probe);
                console.MarkupLineInterpolated(
                    $"  idle-streams: {idle.Opened}/{idle.Streams} open in {idle.OpenSeconds:0.0} s; RSS {idle.IdleRssMib:0.0} → {idle.OpenRssMib:0.0} / {idle.HeldRssMib:0.0} MiB = {idle.KbPerStream:0.0} KB/stream; threads {idle.ThreadsBefore?.ToString(CultureInfo.InvariantCulture) ?? "-"} → {idle.ThreadsAfter?.ToString(CultureInfo.InvariantCulture) ?? "-"}; alive at end {idle.AliveAtEnd}; errors {idle.Errors}");
            }

            if (viewers is not null)
            {
                if (viewers.Failure is { } failure || viewers.Events == 0)
                {
                    throw new InvalidOperationException($"llmgate-viewed: the console viewers did not stream for the whole run ({viewers.Failure ?? "no event received"})");
                }

                Interlocked.Add(ref _uiViewerEvents, viewers.Events);
            }

            return new TargetRun(points, result with { StartupSamplesMs = startups, StartupMs = Rounds.Of(startups.Select(s => (double?)s)) }, idle);
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

    // A second, fresh start of the target with the upstream already warm (its JIT is not what is measured): the
    // start-up time, then chat at 64 connections from the first served request, with no warm-up. Then it is stopped.
    private async Task<(double StartupMs, LoadResult First)> FirstSecondsAsync(
        BenchTarget target, int[] upstreamPorts, string dataDirectory, FakePagerDuty pagerDuty, TelemetrySink telemetry, CancellationToken cancellationToken)
    {
        foreach (var port in upstreamPorts)
        {
            await new LoadRun(
                LoadRequest.ChatCompletion(port, stream: false, GatewayConfigFile.MasterKey),
                new LoadPlan { Concurrency = 16, Warmup = TimeSpan.Zero, Duration = TimeSpan.FromSeconds(1) }).RunAsync();
        }

        var port0 = ChildProcess.FreePort();
        var probe = RuntimeProbe.For(dataDirectory);
        await using var fresh = StartTarget(target, upstreamPorts, port0, Path.Combine(dataDirectory, "first"), probe, pagerDuty, telemetry);
        var startup = await StartupAsync(fresh, port0);
        if (target.Kind == TargetKind.GatewayKeys)
        {
            await CreateVirtualKeyAsync(port0, cancellationToken);
        }

        var first = await new LoadRun(
            LoadRequest.ChatCompletion(port0, stream: false, target.ApiKey),
            new LoadPlan { Concurrency = Comparisons.HeadlineConcurrency, Warmup = TimeSpan.Zero, Duration = TimeSpan.FromSeconds(options.FirstSeconds) }).RunAsync();
        return (startup, first);
    }

    // Process started → first chat completion answered, in ms (the master key: llmgate-keys has no virtual key yet).
    private static async Task<double> StartupAsync(ChildProcess process, int port) =>
        Math.Round((await FirstCompletion.WaitAsync(process, LoadRequest.ChatCompletion(port, stream: false, GatewayConfigFile.MasterKey), StartTimeout)).TotalMilliseconds, 1);

    private ChildProcess StartTarget(BenchTarget target, int[] upstreamPorts, int port, string dataDirectory, RuntimeProbe probe, FakePagerDuty pagerDuty, TelemetrySink telemetry)
    {
        Directory.CreateDirectory(dataDirectory);
        if (target.Kind is TargetKind.BareProxy or TargetKind.MinimalProxy)
        {
            var environment = new Dictionary<string, string>();
            probe.AddTo(environment);
            return ChildProcess.Start(
                target.Name, options.BenchDll,
                [target.Kind == TargetKind.BareProxy ? "serve-yarp" : "serve-minimal", "--port", Invariant(port), "--upstream", $"http://127.0.0.1:{upstreamPorts[0]}/"],
                options.Layout.TargetCores,
                environment);
        }

        return StartGateway(target, upstreamPorts, port, dataDirectory, probe, pagerDuty, telemetry);
    }

    private async Task<PointResult> MeasureAsync(BenchTarget target, Scenario scenario, int concurrency, int port, int pid, int? upstreamPid, RuntimeProbe probe)
    {
        var request = LoadRequest.ChatCompletion(port, scenario.IsStream, target.ApiKey);
        var run = new LoadRun(request, new LoadPlan { Concurrency = concurrency, Warmup = options.PointWarmup, Duration = options.Duration });
        var peakReset = false;
        TimeSpan cpuStart = default, cpuEnd = default, ownStart = default, ownEnd = default, busyStart = default, busyEnd = default;
        long peak = 0;
        RuntimeSample? runtimeStart = null, runtimeEnd = null;
        var result = await run.RunAsync(
            () =>
            {
                runtimeStart = probe.TrySample();
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
                runtimeEnd = probe.TrySample();
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
            AllocatedBytesPerRequest = PerRequest(runtimeStart?.AllocatedBytes, runtimeEnd?.AllocatedBytes, result.Completed, 1),
            Gen0Per1kRequests = PerRequest(runtimeStart?.Gen0, runtimeEnd?.Gen0, result.Completed, 1000),
            Gen1Per1kRequests = PerRequest(runtimeStart?.Gen1, runtimeEnd?.Gen1, result.Completed, 1000),
            Gen2Per1kRequests = PerRequest(runtimeStart?.Gen2, runtimeEnd?.Gen2, result.Completed, 1000),
            HeapMibEnd = runtimeEnd is null ? null : Math.Round(runtimeEnd.HeapSizeBytes / (1024.0 * 1024), 1),
            GcCommittedMibEnd = runtimeEnd is null ? null : Math.Round(runtimeEnd.GcCommittedBytes / (1024.0 * 1024), 1),
            ThreadsEnd = runtimeEnd?.Threads,
            ThreadPoolThreadsEnd = runtimeEnd?.ThreadPoolThreads,
            OpenFdsEnd = runtimeEnd?.OpenFds,
        };
    }

    // A counter's growth over the window per request (or per 1,000); null without both samples (no probe).
    private static double? PerRequest(long? start, long? end, long requests, int per) =>
        start is { } s && end is { } e && requests > 0 ? Math.Round((double)(e - s) * per / requests, 2) : null;

    // The harness's own CPU and the fake upstream's, when it is not the target.
    private static TimeSpan OwnCpu(int? upstreamPid) =>
        Process.GetCurrentProcess().TotalProcessorTime + (upstreamPid is { } id ? ProcessStats.CpuTime(id) : TimeSpan.Zero);

    private ChildProcess StartGateway(BenchTarget target, int[] upstreamPorts, int port, string dataDirectory, RuntimeProbe probe, FakePagerDuty pagerDuty, TelemetrySink telemetry)
    {
        var configPath = Path.Combine(dataDirectory, "config.yaml");
        File.WriteAllText(configPath, GatewayConfigFile.Yaml(target.Kind, upstreamPorts));
        var environment = new Dictionary<string, string>(options.GatewayEnvironment);
        probe.AddTo(environment);
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
            options.GatewayProgram,
            ["--config", configPath, "--host", "127.0.0.1", "--port", Invariant(port), "--data-dir", Path.Combine(dataDirectory, "data")],
            options.Layout.TargetCores,
            environment);
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
        yield return "--idle-chunk-interval-s";
        yield return options.IdleChunkInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture);
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
