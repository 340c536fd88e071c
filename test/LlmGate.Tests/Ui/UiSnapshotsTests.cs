using LlmGate.Alerting;
using LlmGate.Configuration;
using LlmGate.Providers;
using LlmGate.Routing;
using LlmGate.Ui.Live;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Ui;

public sealed class UiSnapshotsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task IncidentChange_BetweenTicks_NewFrameWithoutTheClockMoving()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var changes = new IncidentChanges();
        using var snapshots = Create(time, changes);
        await snapshots.StartAsync(CancellationToken.None);
        await snapshots.WaitForNewerAsync(0, CancellationToken.None).WaitAsync(Patience);
        var first = snapshots.Current.Snapshot.Sequence;

        var newer = snapshots.WaitForNewerAsync(first, CancellationToken.None);
        Assert.False(newer.IsCompleted); // nothing changed and the clock stands still: no frame
        changes.Notify();
        await newer.WaitAsync(Patience);
        var pushed = snapshots.Current.Snapshot.Sequence;
        Assert.True(pushed > first);

        // The once-a-second tick goes on as before.
        var ticked = snapshots.WaitForNewerAsync(pushed, CancellationToken.None);
        Assert.False(ticked.IsCompleted);
        time.Advance(UiSnapshots.Interval);
        await ticked.WaitAsync(Patience);
        await snapshots.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task NoIncidentSignal_OnlyTheTickBuildsFrames()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        using var snapshots = Create(time, changes: null);
        await snapshots.StartAsync(CancellationToken.None);
        await snapshots.WaitForNewerAsync(0, CancellationToken.None).WaitAsync(Patience);
        var first = snapshots.Current.Snapshot.Sequence;

        var newer = snapshots.WaitForNewerAsync(first, CancellationToken.None);
        time.Advance(UiSnapshots.Interval / 2);
        Assert.False(newer.IsCompleted);
        time.Advance(UiSnapshots.Interval / 2);
        await newer.WaitAsync(Patience);
        await snapshots.StopAsync(CancellationToken.None);
    }

    private static UiSnapshots Create(FakeTimeProvider time, IncidentChanges? changes)
    {
        DeploymentConfig[] deployments = [new() { ModelName = "gpt-4o", Model = "openai/gpt-4o", Id = "d1", ApiBase = "http://127.0.0.1:9/v1", ApiKey = "sk-x" }];
        var config = new GatewayConfig { Deployments = deployments };
        var gateway = new GatewaySnapshotSource(new GatewaySnapshot(config, new RouteTable(deployments, ProviderAdapters.CreateDefault(time), _ => null)));
        var builder = new UiSnapshotBuilder(new UiMetrics(time), gateway, time);
        return new UiSnapshots(builder, time, NullLogger<UiSnapshots>.Instance, changes);
    }
}
