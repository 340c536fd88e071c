using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using LlmGate.Testing;

namespace LlmGate.EndToEnd.Reload;

/// <summary>
/// The served binary reloads its config on SIGHUP (whose default action would end it) and, with
/// <c>--watch-config</c>, when the file is replaced as a Kubernetes ConfigMap update replaces it.
/// </summary>
public sealed class ConfigReloadProcessTests : IAsyncLifetime
{
    private const int SigHup = 1;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("llmgate-reload-");
    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        await File.WriteAllTextAsync(ConfigPath, Config("gpt-old"));
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    private string ConfigPath => Path.Combine(_directory.FullName, "config.yaml");

    [Fact]
    public async Task SigHup_FileChanged_ReloadedAndStillServing()
    {
        await using var gateway = await StartAsync();
        await ReplaceConfigAsync(Config("gpt-new"));

        gateway.Signal(SigHup);

        await gateway.WaitForOutputAsync("Config reloaded (sighup)", Patience);
        Assert.Equal(["gpt-new"], await ModelsAsync(gateway));
    }

    [Fact]
    public async Task SigHup_StartedUnderNohup_CaughtAndReloaded()
    {
        // nohup starts the gateway with SIGHUP ignored, as some supervisors and CI runners do; .NET alone would leave it so.
        await using var gateway = await GatewayProcess.StartAsync(ConfigPath, Path.Combine(_directory.FullName, "data"), new Dictionary<string, string>(), launcher: "nohup");
        var status = await File.ReadAllLinesAsync($"/proc/{gateway.ProcessId}/status");
        Assert.Equal(0UL, SignalMask(status, "SigIgn:") & 1); // bit 0: SIGHUP
        Assert.Equal(1UL, SignalMask(status, "SigCgt:") & 1);
        await ReplaceConfigAsync(Config("gpt-new"));

        gateway.Signal(SigHup);

        await gateway.WaitForOutputAsync("Config reloaded (sighup)", Patience);
        Assert.Equal(["gpt-new"], await ModelsAsync(gateway));
    }

    [Fact]
    public async Task WatchConfig_FileReplaced_ReloadedWithoutASignal()
    {
        await using var gateway = await StartAsync("--watch-config");
        await ReplaceConfigAsync(Config("gpt-new"));

        await gateway.WaitForOutputAsync("Config reloaded (file_watch)", Patience);
        Assert.Equal(["gpt-new"], await ModelsAsync(gateway));
    }

    private Task<GatewayProcess> StartAsync(params string[] arguments) =>
        GatewayProcess.StartAsync(ConfigPath, Path.Combine(_directory.FullName, "data"), new Dictionary<string, string>(), arguments: arguments);

    // Written beside the file, then renamed over it: readers see the old bytes or the new ones, never half.
    private async Task ReplaceConfigAsync(string yaml)
    {
        await File.WriteAllTextAsync(ConfigPath + ".next", yaml);
        File.Move(ConfigPath + ".next", ConfigPath, overwrite: true);
    }

    private static ulong SignalMask(string[] status, string field) =>
        ulong.Parse(status.Single(l => l.StartsWith(field, StringComparison.Ordinal))[field.Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<List<string?>> ModelsAsync(GatewayProcess gateway)
    {
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = Patience };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk-1234");
        var models = JsonNode.Parse(await http.GetStringAsync(new Uri("/v1/models", UriKind.Relative)))!["data"]!.AsArray();
        return [.. models.Select(m => (string?)m!["id"])];
    }

    private string Config(string modelName) => $$"""
        model_list:
          - model_name: {{modelName}}
            litellm_params: {model: openai/gpt-4o, api_base: "{{_upstream.ApiBase}}", api_key: {{_upstream.ApiKey}}}
        general_settings:
          master_key: sk-1234
        """;
}
