using LlmGate.OpenAi;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

namespace LlmGate.Bench.Micro;

/// <summary>
/// Runs the micro-benchmarks with BenchmarkDotNet, in process (<c>--inProcess</c>): BenchmarkDotNet's generated project
/// would sit under this repository and inherit its warnings-as-errors build policy. Allocations per operation are
/// always reported. Any BenchmarkDotNet argument works, e.g. <c>--job short</c> or <c>--filter '*Route*'</c>.
/// </summary>
internal static class MicroBenchmarks
{
    public static int Run(string[] args)
    {
        var config = DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithArtifactsPath(Path.Combine(Directory.GetCurrentDirectory(), "bench", "results", "micro"))
            .WithOptions(ConfigOptions.JoinSummary);
        var summaries = BenchmarkSwitcher.FromTypes(
        [
            typeof(RequestBodyInspectorBenchmarks),
            typeof(RouteTableBenchmarks),
            typeof(AlertingBenchmarks),
            typeof(MasterKeyBenchmarks),
            typeof(MessagesTranslatorBenchmarks),
            typeof(ResponsesBridgeBenchmarks),
            typeof(SpendLogWriteBenchmarks),
            typeof(UpstreamBodyStreamBenchmarks),
        ]).Run(
        [
            .. args.Contains("--filter") ? [] : new[] { "--filter", "*" },
            .. args.Contains("--inProcess") ? [] : new[] { "--inProcess" },
            .. args,
        ], config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
