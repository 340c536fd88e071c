using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Tests.Reload;

/// <summary>A config file in a folder of its own, the gateway started from it, and an admin client for the reload endpoints.</summary>
internal sealed class ReloadableConfig : IAsyncDisposable
{
    public const string MasterKey = "sk-reload-master-7a1f";

    private readonly string _directory;

    private ReloadableConfig(string directory, TestGateway gateway)
    {
        _directory = directory;
        Gateway = gateway;
        Admin = Client(MasterKey);
    }

    public TestGateway Gateway { get; }

    public HttpClient Admin { get; }

    public string Path => System.IO.Path.Combine(_directory, "config.yaml");

    public static async Task<ReloadableConfig> StartAsync(
        string yaml, IReadOnlyDictionary<string, string>? environment = null, bool watch = false, Action<IServiceCollection>? configureServices = null)
    {
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "llmgate-reload-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, "config.yaml");
        await File.WriteAllTextAsync(path, yaml);
        var gateway = await TestGateway.StartFromFileAsync(path, environment, configureServices, watch: watch);
        return new ReloadableConfig(directory, gateway);
    }

    /// <summary>Replaces the file as a ConfigMap update does: written beside it, then renamed over it.</summary>
    public async Task WriteAsync(string yaml)
    {
        var next = Path + ".next";
        await File.WriteAllTextAsync(next, yaml);
        File.Move(next, Path, overwrite: true);
    }

    public async Task<(int Status, JsonNode Body)> ReloadAsync()
    {
        using var response = await Admin.PostAsync(new Uri("/config/reload", UriKind.Relative), content: null);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    public async Task<JsonNode> StatusAsync() => JsonNode.Parse(await Admin.GetStringAsync(new Uri("/config/status", UriKind.Relative)))!;

    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Gateway.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
