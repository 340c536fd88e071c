using System.Globalization;
using BenchmarkDotNet.Attributes;
using LlmGate.Configuration;
using LlmGate.Providers;
using LlmGate.Routing;

namespace LlmGate.Bench.Micro;

/// <summary>
/// Route lookup across 100 model groups (50 exact names, then 50 wildcard patterns in file order): an exact hit,
/// a hit on the last wildcard (the worst case), LiteLLM's provider inference (<c>gpt-4o</c> → <c>openai/*</c>),
/// and a miss.
/// </summary>
[MemoryDiagnoser]
public class RouteTableBenchmarks
{
    private RouteTable _routes = null!;

    [GlobalSetup]
    public void Setup()
    {
        var deployments = new List<DeploymentConfig>();
        for (var i = 0; i < 50; i++)
        {
            deployments.Add(Deployment($"model-{i:00}", $"openai/model-{i:00}", i));
        }

        for (var i = 0; i < 49; i++)
        {
            deployments.Add(Deployment($"team-{i:00}/*", "openai/*", 50 + i));
        }

        deployments.Add(Deployment("openai/*", "openai/*", 99));
        _routes = new RouteTable(deployments, ProviderAdapters.CreateDefault(TimeProvider.System), _ => "sk-bench");
    }

    [Benchmark(Baseline = true)]
    public bool Exact() => _routes.TryResolve("model-37", out _);

    [Benchmark]
    public bool LastWildcard() => _routes.TryResolve("openai/gpt-4o", out _);

    [Benchmark]
    public bool ProviderInference() => _routes.TryResolve("gpt-4o", out _);

    [Benchmark]
    public bool Miss() => _routes.TryResolve("no-such-model", out _);

    private static DeploymentConfig Deployment(string name, string model, int index) => new()
    {
        ModelName = name,
        Model = model,
        Id = "deployment-" + index.ToString(CultureInfo.InvariantCulture),
        ApiBase = "http://127.0.0.1:9/v1",
    };
}
