using System.Diagnostics;
using System.Globalization;
using LlmGate.Bench.Load;
using LlmGate.Bench.Reporting;
using LlmGate.Bench.Targets;
using LlmGate.Testing;
using Spectre.Console;

namespace LlmGate.Bench.Soak;

/// <summary>
/// <c>soak</c>: the real gateway with alerting on, a mixed closed-loop load for the whole duration (healthy calls and
/// provoked faults), the gateway's memory, threads, descriptors and connections sampled every 10 s, and the verdict of
/// <see cref="SoakVerdict"/>. Exit code 0 when it passed, 1 when it failed, 2 when it could not run.
/// </summary>
internal sealed class SoakRunner(SoakOptions options, IAnsiConsole console)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(options.GatewayProgram))
        {
            console.MarkupLineInterpolated($"[red]gateway not found at {options.GatewayProgram}[/]: build it with 'dotnet build src/LlmGate -c Release' or pass --gateway.");
            return 2;
        }

        var created = TimeProvider.System.GetUtcNow();
        var directory = Directory.CreateTempSubdirectory("llmgate-soak-");
        try
        {
            await using var pagerDuty = await FakePagerDuty.StartAsync();
            var upstreamPort = ChildProcess.FreePort();
            await using var upstream = ChildProcess.Start(
                "fake upstream", options.BenchDll, ["serve-upstream", "--port", Invariant(upstreamPort), "--idle-chunk-interval-s", "1"], cores: null);
            await upstream.WaitForPortAsync(upstreamPort, StartTimeout);

            var port = ChildProcess.FreePort();
            var probe = RuntimeProbe.For(directory.FullName);
            await using var gateway = StartGateway(directory.FullName, upstreamPort, port, probe, pagerDuty);
            await FirstCompletion.WaitAsync(gateway, LoadRequest.ChatCompletion(port, stream: false, GatewayConfigFile.MasterKey), StartTimeout);
            if (probe.TrySample(collect: true) is null)
            {
                console.MarkupLine("[yellow]The runtime probe did not load into the gateway: the GC heap is not sampled.[/]");
            }

            console.MarkupLineInterpolated(
                $"[grey]soak: a warm-up until the JIT settles, then {options.Duration.TotalSeconds:0} s; {options.Connections.Values.Sum()} connections ({string.Join(", ", options.Connections.Select(c => $"{SoakOutcome.Name(c.Key)} {c.Value}"))}), {options.Think.TotalMilliseconds:0} ms think time; a sample every {options.SampleInterval.TotalSeconds:0} s[/]");
            var (samples, warmUp, tally, died) = await LoadAndSampleAsync(gateway, port, probe, cancellationToken);
            var report = Judge(created, samples, warmUp, tally.Snapshot(), pagerDuty.Events.Count, died);
            Print(report);
            await JsonReport.WriteAsync(report, options.OutputPath);
            console.MarkupLineInterpolated($"JSON: {options.OutputPath}");
            return report.Passed ? 0 : 1;
        }
        finally
        {
            try
            {
                directory.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a process going away; the temp directory is cleaned eventually.
            }
        }
    }

    // Samples from the load's start; the run's duration counts from the end of the warm-up (see SoakVerdict).
    private async Task<(List<SoakSample> Samples, TimeSpan WarmUp, SoakTally Tally, string? Died)> LoadAndSampleAsync(
        ChildProcess gateway, int port, RuntimeProbe probe, CancellationToken cancellationToken)
    {
        var tally = new SoakTally();
        var workers = options.Connections
            .SelectMany(c => Enumerable.Range(0, c.Value).Select(_ => new SoakWorker(c.Key, Request(c.Key, port), tally, options.Think)))
            .ToArray();

        // Bounded in count as well as time: no connection sends more than one request per millisecond of the run.
        var maxRequests = (long)(SoakVerdict.MaxWarmUp + options.Duration).TotalMilliseconds + 1000;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var tasks = workers.Select(w => Task.Run(() => w.RunAsync(maxRequests, stop.Token), CancellationToken.None)).ToArray();
        var samples = new List<SoakSample>();
        TimeSpan? warmUp = null;
        string? died = null;
        PrintHeader();
        try
        {
            for (var next = TimeSpan.Zero; warmUp is null || next <= warmUp + options.Duration; next += options.SampleInterval)
            {
                var wait = next - Stopwatch.GetElapsedTime(started);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken);
                }

                if (gateway.HasExited)
                {
                    died = $"the gateway exited during the soak:\n{gateway.Output()}";
                    break;
                }

                var sample = Sample(Stopwatch.GetElapsedTime(started), gateway.Id, port, probe, tally);
                PrintSample(sample, samples.Count > 0 ? samples[^1] : null);
                samples.Add(sample);
                if (warmUp is null && samples.Count > 1)
                {
                    var settled = SoakVerdict.JitSettled(sample, samples[^2]);
                    if (settled || next >= SoakVerdict.MaxWarmUp)
                    {
                        warmUp = next;
                        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"-- {(settled ? "warmed up (the JIT settled)" : "warm-up cut short, the JIT still compiling")} at {next.TotalSeconds:0} s: the {options.Duration.TotalSeconds:0} s run starts here"));
                    }
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            var all = Task.WhenAll(tasks);
            if (await Task.WhenAny(all, Task.Delay(StopTimeout, CancellationToken.None)) != all)
            {
                died ??= $"the load did not stop within {StopTimeout.TotalSeconds:0} s";
            }
        }

        return (samples, warmUp ?? TimeSpan.Zero, tally, died);
    }

    private static LoadRequest Request(SoakKind kind, int port) => kind switch
    {
        SoakKind.Chat => LoadRequest.ChatCompletion(port, stream: false, GatewayConfigFile.MasterKey),
        SoakKind.Stream => LoadRequest.ChatCompletion(port, stream: true, GatewayConfigFile.MasterKey),
        SoakKind.Embedding => LoadRequest.Embedding(port, GatewayConfigFile.MasterKey, SoakConfigFile.EmbeddingModel),
        SoakKind.UpstreamError => LoadRequest.ChatCompletion(port, stream: false, GatewayConfigFile.MasterKey, SoakConfigFile.FlakyModel),
        SoakKind.Timeout => LoadRequest.ChatCompletion(port, stream: false, GatewayConfigFile.MasterKey, SoakConfigFile.SlowModel),
        SoakKind.Disconnect => LoadRequest.IdleStream(port, GatewayConfigFile.MasterKey),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    // The probe's full collection first, so RSS is read with the garbage gone, then /proc.
    private static SoakSample Sample(TimeSpan at, int pid, int port, RuntimeProbe probe, SoakTally tally)
    {
        var runtime = probe.TrySample(collect: true);
        var tcp = TcpConnections.Of(pid, port);
        return new SoakSample
        {
            Seconds = Math.Round(at.TotalSeconds, 1),
            RssMib = Math.Round(ProcessStats.ResidentBytes(pid) / (1024.0 * 1024), 1),
            GcHeapMib = runtime is null ? null : Math.Round(runtime.HeapSizeBytes / (1024.0 * 1024), 2),
            Threads = ProcessStats.Threads(pid),
            JitMethods = runtime?.JitMethods,
            Fds = Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length,
            TcpInbound = tcp.Inbound,
            TcpOutbound = tcp.Outbound,
            TcpOther = tcp.NotEstablished,
            Requests = tally.Snapshot(),
        };
    }

    private ChildProcess StartGateway(string directory, int upstreamPort, int port, RuntimeProbe probe, FakePagerDuty pagerDuty)
    {
        var configPath = Path.Combine(directory, "config.yaml");
        File.WriteAllText(configPath, SoakConfigFile.Yaml(upstreamPort));
        var environment = new Dictionary<string, string>
        {
            ["PAGERDUTY_API_KEY"] = GatewayConfigFile.PagerDutyRoutingKey,
            ["PAGERDUTY_EVENTS_URL"] = pagerDuty.EventsUrl.ToString(),
        };
        probe.AddTo(environment, collecting: true);
        return ChildProcess.Start(
            "llmgate",
            options.GatewayProgram,
            ["--config", configPath, "--host", "127.0.0.1", "--port", Invariant(port), "--data-dir", Path.Combine(directory, "data")],
            cores: null,
            environment);
    }

    private SoakReport Judge(DateTimeOffset created, List<SoakSample> samples, TimeSpan warmUp, IReadOnlyList<SoakKindCounts> requests, int pagerDutyEvents, string? died)
    {
        var failures = new List<string>();
        if (died is not null)
        {
            failures.Add(died);
        }

        var baselineIndex = SoakVerdict.BaselineIndex(samples, warmUp, options.Duration);
        var checks = baselineIndex < 0 ? [] : SoakVerdict.Evaluate(samples, baselineIndex, options.Connections[SoakKind.Timeout] + options.Connections[SoakKind.Disconnect]);
        if (baselineIndex < 0)
        {
            failures.Add($"too few samples ({samples.Count}) for a baseline and three final samples after it");
        }

        foreach (var check in checks.Where(c => !c.Passed))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"{check.Metric} grew {check.Baseline:0.##} → {check.Final:0.##} (+{check.Growth:0.##}, {check.GrowthPercent:+0.0;-0.0} %), more than the +{check.Allowed:0.##} allowed"));
        }

        foreach (var kind in requests)
        {
            foreach (var (label, count) in kind.Unexpected)
            {
                failures.Add($"{count} unexpected: {label}");
            }

            if (kind.Ok + kind.ExpectedTotal == 0)
            {
                failures.Add($"no {kind.Kind} request ended as intended: the load did not run");
            }
        }

        return new SoakReport
        {
            Created = created,
            Machine = MachineInfo.Current(CpuLayout.Unpinned.Describe()),
            WarmUpSeconds = warmUp.TotalSeconds,
            DurationSeconds = options.Duration.TotalSeconds,
            SampleIntervalSeconds = options.SampleInterval.TotalSeconds,
            Connections = options.Connections.ToDictionary(c => SoakOutcome.Name(c.Key), c => c.Value, StringComparer.Ordinal),
            ThinkMs = options.Think.TotalMilliseconds,
            Samples = samples,
            BaselineSeconds = baselineIndex < 0 ? null : samples[baselineIndex].Seconds,
            Checks = checks,
            Requests = requests,
            PagerDutyEvents = pagerDutyEvents,
            Passed = failures.Count == 0,
            Failures = failures,
        };
    }

    private void PrintHeader() =>
        console.WriteLine($"{"t s",6} {"RSS MiB",8} {"heap MiB",8} {"jit",5} {"thr",4} {"fds",4} {"tcp in/out/other",16} {"chat",6} {"stream",6} {"embed",6} {"up-err",6} {"timeout",7} {"discon",6} {"errors provoked",15} {"unexpected",10}");

    // Requests of each kind (every outcome) and errors since the previous sample.
    private void PrintSample(SoakSample sample, SoakSample? previous)
    {
        long Done(int kind) => sample.Requests[kind].Total - (previous?.Requests[kind].Total ?? 0);
        long Sum(SoakSample? s, Func<SoakKindCounts, long> count) => s?.Requests.Sum(count) ?? 0;
        var provoked = Sum(sample, k => k.ExpectedTotal) - Sum(previous, k => k.ExpectedTotal);
        var unexpected = Sum(sample, k => k.UnexpectedTotal) - Sum(previous, k => k.UnexpectedTotal);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{sample.Seconds,6:0} {sample.RssMib,8:0.0} {sample.GcHeapMib?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-",8} {sample.JitMethods?.ToString(CultureInfo.InvariantCulture) ?? "-",5} {sample.Threads,4} {sample.Fds,4} {$"{sample.TcpInbound}/{sample.TcpOutbound}/{sample.TcpOther}",16} {Done(0),6} {Done(1),6} {Done(2),6} {Done(3),6} {Done(4),7} {Done(5),6} {provoked,15} {unexpected,10}"));
    }

    private void Print(SoakReport report)
    {
        console.WriteLine();
        console.WriteLine("requests over the whole run:");
        foreach (var kind in report.Requests)
        {
            var outcomes = kind.Expected.Select(e => $"{e.Key} {e.Value}").Concat(kind.Unexpected.Select(e => $"UNEXPECTED {e.Key} {e.Value}"));
            console.WriteLine($"  {kind.Kind,-15} {kind.Total,9:N0}  ok {kind.Ok:N0}{string.Concat(outcomes.Select(o => "; " + o))}");
        }

        console.WriteLine($"  PagerDuty events delivered: {report.PagerDutyEvents}");
        if (report.BaselineSeconds is { } baseline)
        {
            console.WriteLine();
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"baseline at {baseline:0} s, final = median of the last 3 samples; allowed growth {SoakVerdict.AllowedGrowth:P0}, or if more, +{SoakVerdict.HeapSlackMib} MiB GC heap, +{SoakVerdict.CountSlack} threads and fds, +{SoakVerdict.CountSlack} + 2 per timeout or disconnect client TCP connections:"));
            foreach (var check in report.Checks)
            {
                console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {check.Metric,-16} {check.Baseline,9:0.##} → {check.Final,9:0.##}  {check.Growth,8:+0.##;-0.##;0}  {check.GrowthPercent,6:+0.0;-0.0;0.0} %  allowed +{check.Allowed:0.##}  {(check.Passed ? "ok" : "FAIL")}"));
            }
        }

        console.WriteLine();
        if (report.Passed)
        {
            var total = report.Requests.Sum(k => k.Total);
            console.MarkupLineInterpolated($"[green]SOAK PASSED[/]: {total:N0} requests, no metric grew beyond its allowance, no unexpected outcome.");
        }
        else
        {
            console.MarkupLineInterpolated($"[red]SOAK FAILED[/]: {string.Join("; ", report.Failures)}");
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
