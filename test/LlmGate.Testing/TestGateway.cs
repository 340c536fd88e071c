using LlmGate.Configuration;
using LlmGate.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Testing;

/// <summary>The real gateway, built from YAML and listening on 127.0.0.1 at a free port, inside the test process.</summary>
public sealed class TestGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDirectory;

    private TestGateway(WebApplication app, Uri baseAddress, string dataDirectory)
    {
        _app = app;
        BaseAddress = baseAddress;
        _dataDirectory = dataDirectory;
    }

    /// <summary>The gateway's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="yaml">A LiteLLM config.yaml.</param>
    /// <param name="environment">The environment variables the config may read; nothing else is visible to it.</param>
    /// <param name="configureServices">Replaces services, e.g. a <c>FakeTimeProvider</c>.</param>
    public static async Task<TestGateway> StartAsync(
        string yaml,
        IReadOnlyDictionary<string, string>? environment = null,
        Action<IServiceCollection>? configureServices = null,
        string? dataDirectory = null)
    {
        string? GetVariable(string name) => environment?.GetValueOrDefault(name);
        var loaded = ConfigLoader.LoadText(yaml, "test-config.yaml", GetVariable);
        return await StartAsync(loaded, new GatewayHostOptions(), GetVariable, configureServices, dataDirectory);
    }

    /// <summary>The gateway started from a config file, as the command line starts it: it can reload the file (<c>POST /config/reload</c>).</summary>
    /// <param name="watch">Registers the file watch (<c>--watch-config</c>); a test drives it with <c>ConfigFileWatcher.Check</c> or a fake clock.</param>
    public static Task<TestGateway> StartFromFileAsync(
        string configPath,
        IReadOnlyDictionary<string, string>? environment = null,
        Action<IServiceCollection>? configureServices = null,
        string? dataDirectory = null,
        bool watch = false)
    {
        string? GetVariable(string name) => environment?.GetValueOrDefault(name);
        var loaded = ConfigLoader.Load(configPath, GetVariable);
        return StartAsync(loaded, new GatewayHostOptions { ConfigPath = configPath, WatchConfig = watch }, GetVariable, configureServices, dataDirectory);
    }

    private static async Task<TestGateway> StartAsync(
        ConfigLoadResult loaded, GatewayHostOptions hostOptions, Func<string, string?> getVariable, Action<IServiceCollection>? configureServices, string? dataDirectory)
    {
        if (loaded.HasErrors)
        {
            throw new InvalidOperationException("Test config has errors:\n" + string.Join("\n", loaded.Errors));
        }

        dataDirectory ??= Path.Combine(Path.GetTempPath(), "llmgate-test-" + Guid.NewGuid().ToString("N"));
        var app = GatewayApplication.Build(loaded, hostOptions with { Host = "127.0.0.1", Port = 0, DataDirectory = dataDirectory }, getVariable, configureServices);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestGateway(app, new Uri(address.TrimEnd('/') + "/"), dataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was written: alerting was off.
        }
    }
}
