using LlmGate.Alerting;
using LlmGate.Configuration;
using LlmGate.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmGate.Tests.Alerting;

public sealed class RedisWiringTests
{
    private static GatewayConfig Config(RedisOptions? redis) => new()
    {
        Deployments = [new DeploymentConfig { ModelName = "gpt-4o", Model = "openai/gpt-4o", Id = "d1" }],
        Alerting = AlertingFixture.DefaultOptions(),
        Redis = redis,
    };

    [Fact]
    public void AddLlmGateRedis_NoRedisConfigured_InMemoryStoreAsBefore()
    {
        using var directory = new TempDirectory();
        var services = new ServiceCollection().AddLogging().AddHealthChecks().Services.AddLlmGateRedis(Config(null)).AddLlmGateAlerting(Config(null), directory.Path);
        using var provider = services.BuildServiceProvider();

        Assert.IsType<InMemoryAlertStateStore>(provider.GetRequiredService<IAlertStateStore>());
        Assert.Null(provider.GetService<RedisConnection>());
        Assert.Equal(AlertStateStatus.Local, provider.GetRequiredService<IAlertStateStore>().Describe());
    }

    [Fact]
    public async Task AddLlmGateRedis_RedisConfiguredButUnreachable_SharedStoreWiredAndReadinessDegraded()
    {
        using var directory = new TempDirectory();
        var config = Config(new RedisOptions { Host = "127.0.0.1", Port = 1, Password = "never-shown" });
        var services = new ServiceCollection().AddLogging().AddLlmGateRedis(config).AddLlmGateAlerting(config, directory.Path);
        await using var provider = services.BuildServiceProvider();

        var store = Assert.IsType<RedisAlertStateStore>(provider.GetRequiredService<IAlertStateStore>());
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, report.Entries[RedisServiceCollectionExtensions.HealthCheckName].Status);
        Assert.DoesNotContain("never-shown", report.Entries[RedisServiceCollectionExtensions.HealthCheckName].Description, StringComparison.Ordinal);
        Assert.Equal(("redis", false), (store.Describe().Backend, store.Describe().Shared));
    }
}
