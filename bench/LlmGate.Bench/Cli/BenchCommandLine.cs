using System.CommandLine;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using LlmGate.Bench.Micro;
using LlmGate.Bench.Reporting;
using LlmGate.Bench.Runner;
using LlmGate.Bench.Servers;
using LlmGate.Bench.Targets;
using Spectre.Console;

namespace LlmGate.Bench.Cli;

/// <summary>
/// <c>LlmGate.Bench [--quick] [--chart]</c> runs the load benchmark; <c>micro</c> runs the BenchmarkDotNet suite;
/// <c>serve-upstream</c>, <c>serve-yarp</c> and <c>serve-minimal</c> are the processes the load benchmark starts.
/// </summary>
internal static class BenchCommandLine
{
    public static RootCommand Build()
    {
        var quick = new Option<bool>("--quick") { Description = "A few seconds per point, concurrency 1 and 64 only: the CI smoke run (about a minute)." };
        var chart = new Option<bool>("--chart") { Description = "Also draw latency against concurrency as a PNG beside the JSON." };
        var targets = new Option<string>("--targets")
        {
            Description = $"Comma-separated targets to run, in order: {string.Join(", ", BenchTarget.All.Select(t => t.Name))}.",
            DefaultValueFactory = _ => string.Join(',', BenchTarget.Default.Select(t => t.Name)),
        };
        var scenarios = new Option<string>("--scenarios") { Description = "Comma-separated: chat, stream, idle-streams (opt-in: N slow streams held open at once, memory per stream).", DefaultValueFactory = _ => "chat,stream" };
        var concurrency = new Option<string>("--concurrency") { Description = "Comma-separated concurrency levels (default 1,16,64,256; quick 1,64)." };
        var duration = new Option<double?>("--duration") { Description = "Measured seconds per point (default 10; quick 2)." };
        var warmup = new Option<double?>("--warmup") { Description = "Warm-up seconds per point (default 2; quick 0.5)." };
        var chunks = new Option<int>("--chunks") { Description = "Chunks in a streamed answer.", DefaultValueFactory = _ => 20 };
        var firstByteDelay = new Option<double>("--first-byte-delay-ms") { Description = "The fake upstream waits this long before answering.", DefaultValueFactory = _ => 0 };
        var chunkDelay = new Option<double>("--chunk-delay-ms") { Description = "The fake upstream waits this long between chunks.", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--output") { Description = "Where to write the JSON report (default bench/results/latest.json)." };
        var gateway = new Option<string?>("--gateway") { Description = "Path to llmgate.dll, run with dotnet (default src/LlmGate/bin/Release/net10.0/llmgate.dll), or to a published llmgate binary, run as it is." };
        var rounds = new Option<int>("--rounds")
        {
            Description = "Start and measure every target this many times (order reversed every other round) and report the median round of each point.",
            DefaultValueFactory = _ => 1,
        };
        var uiViewers = new Option<int>("--ui-viewers")
        {
            Description = "Console viewers llmgate-viewed keeps signed in and streaming /ui/api/events during its measurement (compare with llmgate in the same run).",
            DefaultValueFactory = _ => 10,
        };
        var firstSeconds = new Option<double?>("--first-seconds")
        {
            Description = "Start each target a second time and measure chat at 64 connections for this many seconds from its first served request, no warm-up (default 10 in a full run with the chat scenario, else 0 = off).",
        };
        var wrk = new Option<bool>("--wrk") { Description = "Cross-check the headline point (chat, 64 connections) with wrk on each warm target (needs wrk on PATH)." };
        var idleStreams = new Option<int>("--idle-streams") { Description = "Streams the idle-streams scenario holds open at once.", DefaultValueFactory = _ => 10_000 };
        var idleInterval = new Option<double>("--idle-chunk-interval-s") { Description = "The fake upstream sends an idle stream's next chunk after this many seconds.", DefaultValueFactory = _ => 3 };
        var idleHold = new Option<double>("--idle-hold-s") { Description = "Seconds every idle stream is held open once the last one had its first chunk.", DefaultValueFactory = _ => 10 };
        var pin = new Option<bool>("--pin") { Description = "Pin the target to the last core and everything else to the others with taskset (off by default: see bench/README.md)." };
        var gatewayEnvironment = new Option<string[]>("--gateway-env")
        {
            Description = "NAME=VALUE set in every gateway target's environment (repeat the option for more), e.g. DOTNET_ReadyToRun=0; the report records them.",
        };
        gatewayEnvironment.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => !GatewayEnvironment.TryParse(t.Value, out _)))
            {
                result.AddError($"--gateway-env {token.Value}: expected NAME=VALUE");
            }
        });

        var root = new RootCommand("LlmGate benchmarks: closed-loop load against the gateway and its baselines, and micro-benchmarks (micro).")
        {
            quick, chart, targets, scenarios, concurrency, duration, warmup, chunks, firstByteDelay, chunkDelay, output, gateway, rounds, uiViewers,
            firstSeconds, wrk, idleStreams, idleInterval, idleHold, pin, gatewayEnvironment,
        };
        root.SetAction(async (parse, cancellationToken) =>
        {
            var isQuick = parse.GetValue(quick);
            var repository = RepositoryRoot();
            var outputPath = parse.GetValue(output) ?? Path.Combine(repository, "bench", "results", "latest.json");
            var options = new BenchOptions
            {
                Quick = isQuick,
                Targets = SplitList(parse.GetValue(targets)!).Select(BenchTarget.Find).ToArray(),
                Scenarios = SplitList(parse.GetValue(scenarios)!).Select(Scenario.Find).ToArray(),
                Concurrencies = parse.GetValue(concurrency) is { } levels
                    ? SplitList(levels).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToArray()
                    : isQuick ? [1, 64] : [1, 16, 64, 256],
                TargetWarmup = TimeSpan.FromSeconds(isQuick ? 1.5 : 5),
                PointWarmup = TimeSpan.FromSeconds(parse.GetValue(warmup) ?? (isQuick ? 0.5 : 2)),
                Duration = TimeSpan.FromSeconds(parse.GetValue(duration) ?? (isQuick ? 2 : 10)),
                Rounds = Math.Max(1, parse.GetValue(rounds)),
                StreamChunks = parse.GetValue(chunks),
                FirstByteDelay = TimeSpan.FromMilliseconds(parse.GetValue(firstByteDelay)),
                ChunkDelay = TimeSpan.FromMilliseconds(parse.GetValue(chunkDelay)),
                UiViewers = Math.Max(1, parse.GetValue(uiViewers)),
                // Compared with the chat point: by default only in a full run that measures chat.
                FirstSeconds = Math.Max(0, parse.GetValue(firstSeconds) ?? (isQuick || !SplitList(parse.GetValue(scenarios)!).Contains("chat", StringComparer.OrdinalIgnoreCase) ? 0 : 10)),
                Wrk = parse.GetValue(wrk),
                IdleStreams = Math.Max(1, parse.GetValue(idleStreams)),
                IdleChunkInterval = TimeSpan.FromSeconds(Math.Max(0.1, parse.GetValue(idleInterval))),
                IdleHold = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(idleHold))),
                Layout = CpuLayout.Choose(parse.GetValue(pin)),
                GatewayProgram = parse.GetValue(gateway) ?? Path.Combine(repository, "src", "LlmGate", "bin", "Release", "net10.0", "llmgate.dll"),
                GatewayEnvironment = GatewayEnvironment.Parse(parse.GetValue(gatewayEnvironment) ?? []),
                BenchDll = typeof(BenchCommandLine).Assembly.Location,
                OutputPath = outputPath,
                ChartPath = parse.GetValue(chart) ? Path.ChangeExtension(outputPath, ".png") : null,
            };
            var console = AnsiConsole.Console;
            if (Console.IsOutputRedirected)
            {
                // A log or a CI run: wide enough for the whole table instead of Spectre's 80-column default.
                console.Profile.Width = 160;
            }

            return await LoadBenchmark.RunAsync(options, console, cancellationToken);
        });

        root.Subcommands.Add(SoakCommand());
        root.Subcommands.Add(MicroCommand());
        root.Subcommands.Add(ChartCommand());
        root.Subcommands.Add(UpstreamCommand());
        root.Subcommands.Add(ProxyCommand("serve-yarp", "Serve the bare YARP proxy (started by the load benchmark).", BareYarpProxy.Build));
        root.Subcommands.Add(ProxyCommand("serve-minimal", "Serve the minimal Kestrel + HttpClient forwarder (started by the load benchmark).", MinimalForwarder.Build));
        return root;
    }

    private static Command SoakCommand()
    {
        var minutes = new Option<double?>("--minutes") { Description = "How long the mixed load runs (default 15)." };
        var seconds = new Option<double?>("--seconds") { Description = "The same in seconds, for short runs (CI: 60); overrides --minutes." };
        var think = new Option<double>("--think-ms") { Description = "Each connection's pause between a response and its next request.", DefaultValueFactory = _ => 5 };
        var output = new Option<string?>("--output") { Description = "Where to write the JSON report (default bench/results/soak.json)." };
        var gateway = new Option<string?>("--gateway") { Description = "Path to llmgate.dll, run with dotnet (default src/LlmGate/bin/Release/net10.0/llmgate.dll), or to a published llmgate binary, run as it is." };
        var command = new Command(
            "soak",
            "Run the gateway (alerting on) under a mixed load with provoked faults, sample its RSS, GC heap, threads, fds and TCP connections every 10 s, and fail if any grows more than 5 % after the baseline or an unexpected error appears.")
        {
            minutes, seconds, think, output, gateway,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var repository = RepositoryRoot();
            var duration = parse.GetValue(seconds) is { } s ? TimeSpan.FromSeconds(s) : TimeSpan.FromMinutes(parse.GetValue(minutes) ?? 15);
            var options = new Soak.SoakOptions
            {
                Duration = duration,
                Think = TimeSpan.FromMilliseconds(Math.Max(0, parse.GetValue(think))),
                GatewayProgram = parse.GetValue(gateway) ?? Path.Combine(repository, "src", "LlmGate", "bin", "Release", "net10.0", "llmgate.dll"),
                BenchDll = typeof(BenchCommandLine).Assembly.Location,
                OutputPath = parse.GetValue(output) ?? Path.Combine(repository, "bench", "results", "soak.json"),
            };
            var console = AnsiConsole.Console;
            if (Console.IsOutputRedirected)
            {
                console.Profile.Width = 160;
            }

            return await new Soak.SoakRunner(options, console).RunAsync(cancellationToken);
        });
        return command;
    }

    private static Command MicroCommand()
    {
        var micro = new Command("micro", "BenchmarkDotNet micro-benchmarks of the gateway's hot paths; arguments after 'micro' go to BenchmarkDotNet (e.g. --filter '*Route*').")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        micro.SetAction(parse => MicroBenchmarks.Run([.. parse.UnmatchedTokens]));
        return micro;
    }

    private static Command ChartCommand()
    {
        var input = new Option<string>("--input") { Required = true, Description = "A report written by a load run." };
        var output = new Option<string?>("--output") { Description = "The PNG to write (default: the report's path with .png)." };
        var command = new Command("chart", "Draw the latency chart of a saved report, and print its table.") { input, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetRequiredValue(input);
            await using var file = File.OpenRead(path);
            var report = await System.Text.Json.JsonSerializer.DeserializeAsync<BenchReport>(file, JsonReport.Options, cancellationToken)
                ?? throw new InvalidDataException(path + " holds no report.");
            ResultTable.Write(AnsiConsole.Console, report);
            var png = parse.GetValue(output) ?? Path.ChangeExtension(path, ".png");
            LatencyChart.Save(report, png);
            AnsiConsole.MarkupLineInterpolated($"Chart: {png}");
            return 0;
        });
        return command;
    }

    private static Command UpstreamCommand()
    {
        var ports = new Option<int[]>("--port") { Required = true, AllowMultipleArgumentsPerToken = true, Description = "Port(s) on 127.0.0.1." };
        var chunks = new Option<int>("--chunks") { DefaultValueFactory = _ => 20 };
        var firstByteDelay = new Option<double>("--first-byte-delay-ms");
        var chunkDelay = new Option<double>("--chunk-delay-ms");
        var idleInterval = new Option<double>("--idle-chunk-interval-s") { DefaultValueFactory = _ => 3 };
        var command = new Command("serve-upstream", "Serve the fake OpenAI upstream (started by the load benchmark).") { ports, chunks, firstByteDelay, chunkDelay, idleInterval };
        command.Hidden = true;
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = FakeOpenAiServer.Build(new FakeOpenAiOptions
            {
                Ports = parse.GetRequiredValue(ports),
                StreamChunks = parse.GetValue(chunks),
                FirstByteDelay = TimeSpan.FromMilliseconds(parse.GetValue(firstByteDelay)),
                ChunkDelay = TimeSpan.FromMilliseconds(parse.GetValue(chunkDelay)),
                IdleChunkInterval = TimeSpan.FromSeconds(parse.GetValue(idleInterval)),
            });
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    private static Command ProxyCommand(string name, string description, Func<int, Uri, WebApplication> build)
    {
        var port = new Option<int>("--port") { Required = true };
        var upstream = new Option<string>("--upstream") { Required = true };
        var command = new Command(name, description) { port, upstream };
        command.Hidden = true;
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = build(parse.GetValue(port), new Uri(parse.GetRequiredValue(upstream)));
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    private static string[] SplitList(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // The directory holding LlmGate.slnx, above this program; the current directory if there is none.
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LlmGate.slnx")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
