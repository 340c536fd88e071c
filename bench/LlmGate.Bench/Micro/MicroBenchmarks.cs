using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace LlmGate.Bench.Micro;

/// <summary>
/// Runs the micro-benchmarks with BenchmarkDotNet. In-process: BenchmarkDotNet's generated project would sit under
/// this repository and inherit its warnings-as-errors build policy. Allocations per operation are always reported.
/// </summary>
internal static class MicroBenchmarks
{
    public static int Run(string[] args)
    {
        var config = DefaultConfig.Instance
            .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithArtifactsPath(Path.Combine(Directory.GetCurrentDirectory(), "bench", "results", "micro"))
            .WithOptions(ConfigOptions.JoinSummary);
        var summaries = BenchmarkSwitcher.FromTypes(
        [
            typeof(RequestBodyInspectorBenchmarks),
            typeof(RouteTableBenchmarks),
        ]).Run(args.Length == 0 ? ["--filter", "*"] : args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
