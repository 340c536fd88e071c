using LlmGate.Configuration;

namespace LlmGate.Tests.Configuration;

public sealed class ConfigLoaderAlertingTests
{
    // The config of LiteLLM's PagerDuty page (shared/seed), properly indented.
    private const string SeedConfig = """
        model_list:
          - model_name: "openai/*"
            litellm_params:
              model: "openai/*"
              api_key: os.environ/OPENAI_API_KEY

        general_settings:
          alerting: ["pagerduty"]
          alerting_args:
            failure_threshold: 1  # Number of requests failing in a window
            failure_threshold_window_seconds: 10  # Window in seconds

            # Requests hanging threshold
            hanging_threshold_seconds: 0.0000001  # Number of seconds of waiting for a response before a request is considered hanging
            hanging_threshold_window_seconds: 10  # Window in seconds
        """;

    private static readonly string RoutingKey = new('r', 32);

    [Fact]
    public void LoadText_SeedConfigWithRoutingKey_Loads()
    {
        var result = Load(SeedConfig, ("PAGERDUTY_API_KEY", RoutingKey), ("OPENAI_API_KEY", "sk-openai"));

        Assert.False(result.HasErrors, string.Join("\n", result.Errors));
        var config = result.Config!;
        var d = Assert.Single(config.Deployments);
        Assert.Equal(("openai/*", "openai/*", "sk-openai"), (d.ModelName, d.Model, d.ApiKey));
        var alerting = config.Alerting!;
        var pagerDuty = alerting.PagerDuty!;
        Assert.Equal(RoutingKey, pagerDuty.RoutingKey);
        Assert.Equal(1, alerting.FailureThreshold);
        Assert.Equal(TimeSpan.FromSeconds(10), alerting.FailureWindow);
        Assert.Equal(TimeSpan.FromTicks(1), alerting.HangingThreshold);
        Assert.True(alerting.HangingThreshold > TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(10), alerting.HangingWindow);
        Assert.Equal(1, alerting.HangingThresholdFails);
        Assert.False(alerting.IgnoreClientErrors);
        Assert.False(alerting.PerModelGroup);
        Assert.Equal(("critical", "critical"), (pagerDuty.FailureSeverity, pagerDuty.HangingSeverity));
        Assert.Equal(PagerDutyOptions.DefaultEventsUrl, pagerDuty.EventsUrl);
        Assert.Equal(Environment.MachineName, pagerDuty.Source);
        Assert.Empty(result.MissingVariables);
    }

    [Fact]
    public void LoadText_SeedConfigWithoutRoutingKey_ReportsError()
    {
        var result = Load(SeedConfig, ("OPENAI_API_KEY", "sk-openai"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(("general_settings.alerting", 8), (error.Path, error.Line));
        Assert.Contains("PAGERDUTY_API_KEY", error.Message, StringComparison.Ordinal);
        Assert.Null(result.Config);
        Assert.Equal(new MissingVariable("PAGERDUTY_API_KEY", "general_settings.alerting", 8, ConfigSeverity.Error), Assert.Single(result.MissingVariables));
    }

    [Fact]
    public void LoadText_SeedConfigWithoutAnyVariable_ReportsEveryMissingVariable()
    {
        var result = Load(SeedConfig);

        Assert.Equal(["OPENAI_API_KEY", "PAGERDUTY_API_KEY"], result.MissingVariables.Select(m => m.Name).Order(StringComparer.Ordinal));
        Assert.Equal(5, result.MissingVariables.Single(m => m.Name == "OPENAI_API_KEY").Line);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(40)]
    public void LoadText_RoutingKeyOfWrongLength_Warns(int length)
    {
        var result = Load(SeedConfig, ("PAGERDUTY_API_KEY", new string('x', length)), ("OPENAI_API_KEY", "k"));

        Assert.False(result.HasErrors);
        var warning = Assert.Single(result.Warnings, w => w.Message.Contains("PAGERDUTY_API_KEY", StringComparison.Ordinal));
        Assert.Contains($"is {length} characters", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_EveryAlertingArg_IsRead()
    {
        var result = Load("""
            model_list: [{model_name: a, litellm_params: {model: openai/a}}]
            general_settings:
              master_key: sk-1
              alerting:
                - pagerduty
              alerting_args:
                failure_threshold: "5"
                failure_threshold_window_seconds: 30.5
                hanging_threshold_seconds: 90
                hanging_threshold_window_seconds: 1200
                hanging_threshold_fails: 3
                ignore_client_errors: "True"
                per_model_group: yes
                failure_severity: Error
                hanging_severity: warning
                pagerduty_source: gateway-eu-1
                pagerduty_events_url: http://127.0.0.1:9999/v2/enqueue
            """, ("PAGERDUTY_API_KEY", RoutingKey));

        var a = result.Config!.Alerting!;
        Assert.Equal((5, 3), (a.FailureThreshold, a.HangingThresholdFails));
        Assert.Equal(TimeSpan.FromSeconds(30.5), a.FailureWindow);
        Assert.Equal(TimeSpan.FromSeconds(90), a.HangingThreshold);
        Assert.Equal(TimeSpan.FromSeconds(1200), a.HangingWindow);
        Assert.True(a.IgnoreClientErrors);
        Assert.True(a.PerModelGroup);
        Assert.Equal(("error", "warning", "gateway-eu-1"), (a.PagerDuty!.FailureSeverity, a.PagerDuty.HangingSeverity, a.PagerDuty.Source));
        Assert.Equal(new Uri("http://127.0.0.1:9999/v2/enqueue"), a.PagerDuty.EventsUrl);
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void LoadText_NoAlertingArgs_UsesDefaults()
    {
        var a = Load("general_settings:\n  alerting: [pagerduty]\n", ("PAGERDUTY_API_KEY", RoutingKey)).Config!.Alerting!;

        Assert.Equal((60, 1), (a.FailureThreshold, a.HangingThresholdFails));
        Assert.Equal(TimeSpan.FromSeconds(60), a.FailureWindow);
        Assert.Equal(TimeSpan.FromSeconds(60), a.HangingThreshold);
        Assert.Equal(TimeSpan.FromSeconds(600), a.HangingWindow);
    }

    [Fact]
    public void LoadText_EventsUrlVariable_OverridesConfig() =>
        Assert.Equal(
            new Uri("http://fake-pagerduty:8080/v2/enqueue"),
            Load(Pagerduty("pagerduty_events_url: https://events.eu.pagerduty.com/v2/enqueue"), ("PAGERDUTY_API_KEY", RoutingKey), ("PAGERDUTY_EVENTS_URL", "http://fake-pagerduty:8080/v2/enqueue")).Config!.Alerting!.PagerDuty!.EventsUrl);

    [Fact]
    public void LoadText_InvalidEventsUrlVariable_ReportsError() =>
        Assert.Contains("PAGERDUTY_EVENTS_URL", Assert.Single(Load(Pagerduty("failure_threshold: 1"), ("PAGERDUTY_API_KEY", RoutingKey), ("PAGERDUTY_EVENTS_URL", "events.pagerduty.com")).Errors).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("failure_threshold: 0")]
    [InlineData("failure_threshold: 1.5")]
    [InlineData("failure_threshold: many")]
    [InlineData("failure_threshold_window_seconds: 0")]
    [InlineData("hanging_threshold_seconds: -1")]
    [InlineData("hanging_threshold_seconds: soon")]
    [InlineData("hanging_threshold_window_seconds: [10]")]
    [InlineData("hanging_threshold_fails: 0")]
    [InlineData("ignore_client_errors: maybe")]
    [InlineData("per_model_group: 2")]
    [InlineData("failure_severity: page")]
    [InlineData("hanging_severity: ''")]
    [InlineData("pagerduty_source: ''")]
    [InlineData("pagerduty_events_url: events.pagerduty.com/v2/enqueue")]
    [InlineData("failure_threshold: os.environ/THRESHOLD")]
    public void LoadText_InvalidAlertingArg_ReportsErrorAtPathAndLine(string arg)
    {
        var result = Load(Pagerduty(arg), ("PAGERDUTY_API_KEY", RoutingKey));

        var error = Assert.Single(result.Errors);
        Assert.Equal($"general_settings.alerting_args.{arg[..arg.IndexOf(':', StringComparison.Ordinal)]}", error.Path);
        Assert.Equal(4, error.Line);
        Assert.Null(result.Config);
    }

    [Fact]
    public void LoadText_OtherAlertingTargets_WarnNotImplemented()
    {
        var result = Load("general_settings:\n  alerting: [sns, sentry, carrier-pigeon]\n");

        Assert.False(result.HasErrors);
        Assert.Null(result.Config!.Alerting);
        Assert.Equal(
            ["general_settings.alerting[0]", "general_settings.alerting[1]", "general_settings.alerting[2]"],
            result.Warnings.Where(w => w.Path.StartsWith("general_settings.alerting[", StringComparison.Ordinal)).Select(w => w.Path));
        Assert.Contains(result.Warnings, w => w.Message.Contains("sns is not implemented", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Message.Contains("unknown alerting target", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadText_AlertingNotAList_ReportsError() =>
        Assert.Equal("general_settings.alerting", Assert.Single(Load("general_settings:\n  alerting: pagerduty\n", ("PAGERDUTY_API_KEY", RoutingKey)).Errors).Path);

    [Fact]
    public void LoadText_AlertingArgsWithoutPagerduty_WarnsIgnored()
    {
        var result = Load("general_settings:\n  alerting: [sns]\n  alerting_args:\n    failure_threshold: 0\n");

        Assert.False(result.HasErrors);
        Assert.Contains(result.Warnings, w => w.Path == "general_settings.alerting_args" && w.Line == 3);
    }

    [Fact]
    public void LoadText_UnknownAlertingArg_InAggregatedWarning()
    {
        var result = Load(Pagerduty("log_to_console: true"), ("PAGERDUTY_API_KEY", RoutingKey));

        Assert.False(result.HasErrors);
        Assert.Contains(result.Warnings, w => w.Message.Contains("general_settings.alerting_args.log_to_console (line 4)", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadText_Secrets_NeverAppearInDiagnostics()
    {
        var secret = Convert.ToHexString(Guid.NewGuid().ToByteArray()) + Convert.ToHexString(Guid.NewGuid().ToByteArray());
        var result = Load("""
            model_list:
              - model_name: a
                litellm_params:
                  model: openai/a
                  api_key: os.environ/SECRET
                  timeout: os.environ/SECRET
                  max_retries: os.environ/SECRET
                  api_base: os.environ/SECRET
              - model_name: b
                litellm_params: {model: openai/b, api_key: os.environ/UNSET}
            litellm_settings:
              master_key: os.environ/SECRET
            general_settings:
              master_key: os.environ/SECRET
              max_request_size_mb: os.environ/SECRET
              alerting: [pagerduty]
              alerting_args:
                failure_threshold: os.environ/SECRET
                failure_severity: os.environ/SECRET
                pagerduty_events_url: os.environ/SECRET
                ignore_client_errors: os.environ/SECRET
            """, ("SECRET", secret), ("PAGERDUTY_API_KEY", secret), ("PAGERDUTY_EVENTS_URL", secret));

        Assert.True(result.Errors.Count() >= 8, string.Join("\n", result.Diagnostics));
        Assert.All(result.Diagnostics, d => Assert.DoesNotContain(secret[..16], d.ToString(), StringComparison.OrdinalIgnoreCase));
    }

    private static string Pagerduty(string arg) =>
        $"general_settings:\n  alerting: [\"pagerduty\"]\n  alerting_args:\n    {arg}\n";

    private static ConfigLoadResult Load(string yaml, params (string Name, string Value)[] variables) =>
        ConfigLoader.LoadText(yaml, "test.yaml", TestEnvironment.With(variables));
}
