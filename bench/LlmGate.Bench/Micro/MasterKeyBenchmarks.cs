using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using LlmGate.Auth;
using LlmGate.Configuration;
using LlmGate.Providers;
using LlmGate.Routing;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Bench.Micro;

/// <summary>
/// The master-key check every proxied request goes through (<c>MasterKeyMiddleware.InvokeAsync</c> with a valid
/// <c>Authorization: Bearer</c>), and the SHA-256 of the presented key inside it, which .NET computes through OpenSSL on Linux.
/// </summary>
[MemoryDiagnoser]
public class MasterKeyBenchmarks
{
    private static readonly RequestDelegate Next = _ => Task.CompletedTask;
    private MasterKeyMiddleware _middleware = null!;
    private DefaultHttpContext _context = null!;

    [GlobalSetup]
    public void Setup()
    {
        var config = new GatewayConfig { Deployments = [], MasterKey = "sk-bench-master-key" };
        _middleware = new MasterKeyMiddleware(Next, new GatewaySnapshotSource(new GatewaySnapshot(config, new RouteTable([], ProviderAdapters.CreateDefault(TimeProvider.System), _ => null))));
        _context = new DefaultHttpContext();
        _context.Request.Path = "/v1/chat/completions";
        _context.Request.Headers.Authorization = "Bearer sk-bench-master-key";
    }

    [Benchmark(Baseline = true)]
    public Task ValidBearerKey() => _middleware.InvokeAsync(_context);

    [Benchmark]
    public byte[] Sha256OfKey() => SHA256.HashData("sk-bench-master-key"u8);
}
