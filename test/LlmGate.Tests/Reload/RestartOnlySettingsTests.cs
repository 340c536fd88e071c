using LlmGate.Configuration;
using LlmGate.Reload;

namespace LlmGate.Tests.Reload;

public sealed class RestartOnlySettingsTests
{
    private const string Base = """
        model_list:
          - model_name: gpt
            litellm_params: {model: openai/gpt-4o, api_key: sk-x}
        general_settings:
          alerting: ["pagerduty"]
          alerting_args: {failure_threshold: 5, failure_threshold_window_seconds: 60}
        """;

    [Fact]
    public void Changed_ThresholdAndRoutingKey_NothingNeedsARestartAndBothApplied()
    {
        var running = Load(Base, "K1K1K1K1K1K1K1K1K1K1K1K1K1K1K1K1");
        var next = Load(Base.Replace("failure_threshold: 5", "failure_threshold: 9", StringComparison.Ordinal), "K2K2K2K2K2K2K2K2K2K2K2K2K2K2K2K2");

        Assert.Empty(RestartOnlySettings.Changed(running, next));
        var applied = RestartOnlySettings.KeepRunning(running, next);
        Assert.Equal(9, applied.Alerting!.FailureThreshold);
        Assert.Equal("K2K2K2K2K2K2K2K2K2K2K2K2K2K2K2K2", applied.Alerting.PagerDuty!.RoutingKey);
    }

    [Fact]
    public void Changed_WindowChannelsAndRedis_EachNamedAndRunningValuesKept()
    {
        var running = Load(Base, "K1K1K1K1K1K1K1K1K1K1K1K1K1K1K1K1");
        var next = Load(
            Base.Replace("failure_threshold_window_seconds: 60", "failure_threshold_window_seconds: 30", StringComparison.Ordinal)
                .Replace("[\"pagerduty\"]", "[\"pagerduty\", \"webhook\"]", StringComparison.Ordinal)
                + "\nrouter_settings:\n  redis_url: redis://127.0.0.1:6399\n",
            "K1K1K1K1K1K1K1K1K1K1K1K1K1K1K1K1",
            ("WEBHOOK_URL", "http://127.0.0.1:9/hook"));

        var changed = RestartOnlySettings.Changed(running, next);

        Assert.Equal(3, changed.Count);
        Assert.Contains(changed, c => c.StartsWith("Redis", StringComparison.Ordinal));
        Assert.Contains(changed, c => c.StartsWith("alerting_args windows", StringComparison.Ordinal));
        Assert.Contains(changed, c => c.StartsWith("alert channels", StringComparison.Ordinal));
        var applied = RestartOnlySettings.KeepRunning(running, next);
        Assert.Null(applied.Redis);
        Assert.Equal(TimeSpan.FromSeconds(60), applied.Alerting!.FailureWindow);
        Assert.Null(applied.Alerting.Channels.Webhook);
    }

    [Fact]
    public void Changed_AlertingTurnedOff_NamedAndKeptOn()
    {
        var running = Load(Base, "K1K1K1K1K1K1K1K1K1K1K1K1K1K1K1K1");
        var next = Load(Base[..Base.IndexOf("general_settings:", StringComparison.Ordinal)], "K1K1K1K1K1K1K1K1K1K1K1K1K1K1K1K1");

        Assert.Equal(["general_settings.alerting (turning alerting on or off)"], RestartOnlySettings.Changed(running, next));
        Assert.NotNull(RestartOnlySettings.KeepRunning(running, next).Alerting);
    }

    private static GatewayConfig Load(string yaml, string routingKey, params (string Name, string Value)[] more)
    {
        var environment = more.ToDictionary(v => v.Name, v => v.Value);
        environment["PAGERDUTY_API_KEY"] = routingKey;
        var loaded = ConfigLoader.LoadText(yaml, "config.yaml", environment.GetValueOrDefault);
        return loaded.Config ?? throw new InvalidOperationException(string.Join("\n", loaded.Errors));
    }
}
