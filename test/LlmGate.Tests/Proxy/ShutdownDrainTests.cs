using LlmGate.Proxy;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Proxy;

public sealed class ShutdownDrainTests
{
    [Fact]
    public async Task StopRequested_ReadinessUnhealthyAtOnceStreamsCutOnlyAfterTheTimeout()
    {
        var time = new FakeTimeProvider();
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        using var drain = new ShutdownDrain(lifetime, time, TimeSpan.FromSeconds(30));
        Assert.Equal(HealthStatus.Healthy, (await drain.CheckHealthAsync(new HealthCheckContext())).Status);

        lifetime.StopApplication();

        Assert.Equal(HealthStatus.Unhealthy, (await drain.CheckHealthAsync(new HealthCheckContext())).Status);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(drain.StreamsCut.IsCancellationRequested);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(drain.StreamsCut.IsCancellationRequested);
    }
}
