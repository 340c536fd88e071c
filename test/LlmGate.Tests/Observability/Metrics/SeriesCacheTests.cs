using LlmGate.Calls;
using LlmGate.Configuration;
using LlmGate.Observability.Metrics;
using LlmGate.Providers;
using LlmGate.Routing;
using Prometheus;

namespace LlmGate.Tests.Observability.Metrics;

public sealed class SeriesCacheTests
{
    [Fact]
    public async Task NewCallersPastTheCap_AreFoldedIntoOtherAndCounted()
    {
        var (metrics, cache) = Create(maxSeries: 2);
        var first = Key("hash-1");
        var second = Key("hash-2");

        cache.For(first, "gpt-4o", "dep-1").Completed(0).Inc();
        cache.For(second, "gpt-4o", "dep-1").Completed(0).Inc();
        cache.For(Key("hash-3"), "gpt-4o", "dep-1").Completed(0).Inc();
        cache.For(Key("hash-4"), "random-model-name", "dep-1").Completed(0).Inc();
        cache.For(first, "gpt-4o", "dep-1").Completed(0).Inc();

        var exposition = await ExportAsync(metrics);
        Assert.Contains("hashed_api_key=\"hash-1\"", exposition, StringComparison.Ordinal);
        Assert.DoesNotContain("hash-3", exposition, StringComparison.Ordinal);
        Assert.DoesNotContain("random-model-name", exposition, StringComparison.Ordinal);
        Assert.Contains("hashed_api_key=\"other\",api_key_alias=\"other\",team=\"other\",team_alias=\"other\",user=\"other\",requested_model=\"other\",status_code=\"200\",route=\"/v1/chat/completions\",model_id=\"dep-1\"} 2", exposition, StringComparison.Ordinal);
        Assert.Contains("llmgate_metrics_dropped_series_total{metric=\"litellm_proxy_total_requests_metric\"} 2", exposition, StringComparison.Ordinal);
    }

    [Fact]
    public void SameCallerModelAndDeployment_GetsTheSameSeries_WithoutAnotherLookupOfLabels()
    {
        var (_, cache) = Create(maxSeries: 10);
        var caller = Key("hash-1");

        var series = cache.For(caller, "gpt-4o", "dep-1");

        Assert.Same(series, cache.For(caller, "gpt-4o", "dep-1"));
        Assert.NotSame(series, cache.For(caller, "gpt-4o", "dep-2"));
        Assert.Same(series.Completed(0), series.Completed(0));
        Assert.Equal(["openai/gpt-4o", "dep-1", "http://127.0.0.1:9/v1", "openai"], series.Deployment!.Labels);
        Assert.Equal("gpt-4o", series.Deployment.ModelGroup);
    }

    [Fact]
    public void MasterKeyAndVirtualKeyLabels_NeverHoldAKey()
    {
        Assert.Equal(["master_key", "None", "None", "None", "default_user_id"], MetricLabels.Caller(CallerIdentity.MasterKey));
        Assert.Equal(["hash", "alias", "team-1", "Team One", "user-1"],
            MetricLabels.Caller(new CallerIdentity(CallerKind.VirtualKey, "hash", "alias", "team-1", "user-1", "Team One")));
        Assert.Equal(["None", "None", "None", "None", "None"], MetricLabels.Caller(CallerIdentity.Anonymous));
    }

    private static CallerIdentity Key(string hash) => new(CallerKind.VirtualKey, hash, "alias-" + hash);

    private static (LiteLlmMetrics Metrics, SeriesCache Cache) Create(int maxSeries)
    {
        var options = ObservabilityOptions.Default with { Prometheus = true, MaxSeriesPerMetric = maxSeries };
        DeploymentConfig[] deployments =
        [
            new() { ModelName = "gpt-4o", Model = "openai/gpt-4o", Id = "dep-1", ApiBase = "http://user:secret@127.0.0.1:9/v1?key=abc", ApiKey = "sk-x" },
            new() { ModelName = "gpt-4o", Model = "openai/gpt-4o", Id = "dep-2", ApiBase = "http://127.0.0.1:9/v1", ApiKey = "sk-x" },
        ];
        var config = new GatewayConfig { Deployments = deployments, Observability = options };
        var snapshots = new GatewaySnapshotSource(new GatewaySnapshot(config, new RouteTable(deployments, ProviderAdapters.CreateDefault(TimeProvider.System), _ => null)));
        var metrics = new LiteLlmMetrics(options);
        return (metrics, new SeriesCache(metrics, options, snapshots));
    }

    private static async Task<string> ExportAsync(LiteLlmMetrics metrics)
    {
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
