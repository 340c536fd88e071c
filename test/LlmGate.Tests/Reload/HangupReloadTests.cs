using System.Text.Json.Nodes;
using LlmGate.Reload;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace LlmGate.Tests.Reload;

/// <summary>SIGHUP as the served process takes it: caught from its first moment, carried out once the gateway runs.</summary>
public sealed class HangupReloadTests
{
    [Fact]
    public void Request_SeveralBeforeTheGatewayRuns_KeptAsOneReload()
    {
        using var hangup = new HangupSignal();

        hangup.Request();
        hangup.Request();
        hangup.Request();

        Assert.Equal(1, hangup.Requests.Count); // one reload reads the newest file: the others would find it unchanged
    }

    [Fact]
    public async Task Request_FileChanged_AppliedWithTheSighupTrigger()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        using var hangup = new HangupSignal();
        var reloaded = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var logs = FakeLogCollector.Create(new FakeLogCollectorOptions
        {
            OutputSink = line =>
            {
                if (line.Contains("Config reloaded (sighup)", StringComparison.Ordinal))
                {
                    reloaded.TrySetResult(line);
                }
            },
        });
        // Registered as the served process registers it (the process test sends a real SIGHUP; this one asks directly).
        await using var config = await ReloadableConfig.StartAsync(Config(upstream, "gpt-old"), configureServices: services =>
        {
            services.AddLogging(logging => logging.AddProvider(new FakeLoggerProvider(logs)));
            services.AddSingleton(hangup);
            services.AddHostedService<ReloadOnHangup>();
        });

        await config.WriteAsync(Config(upstream, "gpt-new"));
        hangup.Request();

        var line = await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("model_list: 1 added, 1 removed, 0 changed", line, StringComparison.Ordinal);
        var models = JsonNode.Parse(await config.Admin.GetStringAsync(new Uri("/v1/models", UriKind.Relative)))!["data"]!.AsArray();
        Assert.Equal(["gpt-new"], models.Select(m => (string?)m!["id"]));
        Assert.Equal("sighup", (string?)(await config.StatusAsync())["last_reload"]?["trigger"]);
    }

    private static string Config(FakeUpstream upstream, string modelName) => $$"""
        model_list:
          - model_name: {{modelName}}
            litellm_params: {model: openai/gpt-4o, api_base: "{{upstream.ApiBase}}", api_key: {{upstream.ApiKey}}}
        general_settings:
          master_key: {{ReloadableConfig.MasterKey}}
        """;
}
