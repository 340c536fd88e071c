using LlmGate.Configuration;

namespace LlmGate.Tests.Configuration;

public sealed class ObservabilityReaderTests
{
    [Fact]
    public void NoSettings_EverythingOffMetricsNeedAKeyLiteLlmBuckets()
    {
        var result = Load("model_list: []\n");
        var options = result.Config!.Observability;

        Assert.False(options.Prometheus || options.Otel || options.Langfuse || options.JsonLogs || options.BackgroundHealthChecks);
        Assert.True(options.RequireAuthForMetrics);
        Assert.Equal(ObservabilityOptions.DefaultLatencyBuckets, options.LatencyBuckets);
        Assert.Equal(TimeSpan.FromSeconds(300), options.HealthCheckInterval);
        Assert.DoesNotContain(result.Warnings, w => w.Path.StartsWith("litellm_settings", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("callbacks: [\"prometheus\"]")]
    [InlineData("success_callback: [prometheus]")]
    [InlineData("failure_callback: [\"langfuse\", \"prometheus\"]")]
    [InlineData("callbacks: prometheus")]
    public void PrometheusInAnyCallbackList_TurnsMetricsOn(string setting)
    {
        var options = Load("litellm_settings:\n  " + setting + "\n").Config!.Observability;

        Assert.True(options.Prometheus);
    }

    [Fact]
    public void OtelAndLangfuseCallbacks_TurnTracingOn_AndOthersAreReportedOnceEach()
    {
        var result = Load("""
            litellm_settings:
              callbacks: ["otel", "billing_callback.billing_callback_instance"]
              success_callback: ["langfuse_otel", "langfuse", "datadog"]
              failure_callback: ["langfuse", "datadog"]
              service_callback: ["prometheus_system"]
            """);
        var options = result.Config!.Observability;

        Assert.True(options.Otel);
        Assert.True(options.Langfuse);
        Assert.False(options.Prometheus); // prometheus_system is LiteLLM's service metrics, not /metrics
        Assert.Equal(
            ["callbacks: billing_callback.billing_callback_instance", "success_callback: datadog", "failure_callback: datadog", "service_callback: prometheus_system"],
            options.IgnoredCallbacks);
        Assert.Equal(4, result.Warnings.Count(w => w.Message.StartsWith("callback not implemented", StringComparison.Ordinal)));
    }

    [Fact]
    public void Settings_AreReadFromTheirSections()
    {
        var options = Load("""
            litellm_settings:
              json_logs: true
              require_auth_for_metrics_endpoint: false
              prometheus_latency_buckets: [0.1, 1, 10]
              prometheus_metrics_max_series_per_metric: 500
            general_settings:
              background_health_checks: true
              health_check_interval: 30
              health_check_details: false
            """).Config!.Observability;

        Assert.True(options.JsonLogs);
        Assert.False(options.RequireAuthForMetrics);
        Assert.Equal([0.1, 1, 10], options.LatencyBuckets);
        Assert.Equal(500, options.MaxSeriesPerMetric);
        Assert.True(options.BackgroundHealthChecks);
        Assert.Equal(TimeSpan.FromSeconds(30), options.HealthCheckInterval);
        Assert.False(options.HealthCheckDetails);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", false)]
    public void JsonLogsVariable_IsReadAsLiteLlmDoes_AndTheConfigWins(string value, bool expected)
    {
        Assert.Equal(expected, Load("model_list: []\n", ("JSON_LOGS", value)).Config!.Observability.JsonLogs);
        Assert.False(Load("litellm_settings:\n  json_logs: false\n", ("JSON_LOGS", "true")).Config!.Observability.JsonLogs);
    }

    [Fact]
    public void BucketsOutOfOrder_AreAnErrorNamingTheBucket()
    {
        var result = Load("litellm_settings:\n  prometheus_latency_buckets: [1, 0.5]\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal("litellm_settings.prometheus_latency_buckets[1]", error.Path);
    }

    private static ConfigLoadResult Load(string yaml, params (string Name, string Value)[] variables)
    {
        var environment = variables.ToDictionary(v => v.Name, v => v.Value);
        return ConfigLoader.LoadText(yaml, "config.yaml", name => environment.GetValueOrDefault(name));
    }
}
