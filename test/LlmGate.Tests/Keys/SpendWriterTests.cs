using System.Text.Json;
using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;
using LlmGate.Alerting.PagerDuty;
using LlmGate.Configuration;
using LlmGate.Keys;
using LlmGate.Providers;
using LlmGate.Routing;
using LlmGate.Tests.Alerting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Keys;

public sealed class SpendWriterTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly SqliteAlertOutbox _outbox;
    private readonly HttpClient _http = new();

    public SpendWriterTests() => _outbox = new SqliteAlertOutbox(SqliteAlertOutbox.PathIn(_directory.Path), _time);

    [Fact]
    public async Task StoreUnreachable_DegradedAtOnce_OneWarningAfterThirtySeconds()
    {
        // A database under a path that is a file, not a directory: every operation fails as an unreachable server's would.
        var blocker = Path.Combine(_directory.Path, "not-a-directory");
        await File.WriteAllTextAsync(blocker, "");
        await using var store = new SqliteKeyStore(Path.Combine(blocker, "keys.db"), _time, NullLogger<SqliteKeyStore>.Instance);
        var health = new KeyStoreHealth(_time);
        var options = AlertingFixture.DefaultOptions().PagerDuty!;
        var notifier = new AlertNotifier(_outbox, [new PagerDutyChannel(new PagerDutyClient(_http, options, _time), options)], NullLogger<AlertNotifier>.Instance);
        var config = new GatewayConfig { Deployments = [] };
        var snapshots = new GatewaySnapshotSource(new GatewaySnapshot(config, new RouteTable([], ProviderAdapters.CreateDefault(_time), _ => null)));
        using var writer = new SpendWriter(store, new KeyDirectory(store), new SpendLedger(), health, snapshots, _time, NullLogger<SpendWriter>.Instance, notifier);

        await writer.StartAsync(CancellationToken.None);
        Assert.Equal(HealthStatus.Degraded, (await health.CheckHealthAsync(new HealthCheckContext())).Status);

        // The writer's rounds run on its own thread at each tick of the fake clock: move it on tick by tick until the
        // warning is in the outbox, and check it came no sooner than the grace period.
        OutboxEntry? trigger = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (trigger is null && DateTime.UtcNow < deadline)
        {
            _time.Advance(SpendWriter.Tick);
            trigger = _outbox.PeekOldest(PagerDutyChannel.ChannelName);
            if (trigger is null)
            {
                await Task.Yield();
            }
        }

        await writer.StopAsync(CancellationToken.None);
        Assert.NotNull(trigger);
        Assert.True(_time.GetUtcNow() - new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero) >= SpendWriter.Grace);
        var payload = JsonDocument.Parse(trigger.Payload).RootElement.GetProperty("payload");
        Assert.Equal(("warning", SpendWriter.ClassName), (payload.GetProperty("severity").GetString(), payload.GetProperty("class").GetString()));
        Assert.Single(AlertingFixture.Drain(_outbox, PagerDutyChannel.ChannelName));
    }

    [Fact]
    public async Task BudgetPeriodEnded_ResetInTheStoreWithoutAnyCall()
    {
        await using var store = new SqliteKeyStore(Path.Combine(_directory.Path, "keys.db"), _time, NullLogger<SqliteKeyStore>.Instance);
        await store.MigrateAsync(CancellationToken.None);
        var due = _time.GetUtcNow().AddDays(1);
        await store.CreateKeyAsync(
            new VirtualKey { Token = "idle", KeyName = "sk-...idle", Spend = 4, Limits = new EntityLimits { MaxBudget = 5, BudgetDuration = "1d", BudgetResetAt = due } },
            CancellationToken.None);
        var config = new GatewayConfig { Deployments = [] };
        var snapshots = new GatewaySnapshotSource(new GatewaySnapshot(config, new RouteTable([], ProviderAdapters.CreateDefault(_time), _ => null)));
        using var writer = new SpendWriter(store, new KeyDirectory(store), new SpendLedger(), new KeyStoreHealth(_time), snapshots, _time, NullLogger<SpendWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);

        await writer.FlushNowAsync(CancellationToken.None);
        var before = await store.FindKeyAsync("idle", CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(1) + SpendWriter.BudgetResetEvery);
        await writer.FlushNowAsync(CancellationToken.None); // a round, as the writer's own timer makes one each tick
        var after = await store.FindKeyAsync("idle", CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal((4.0, due), (before!.Spend, before.Limits.BudgetResetAt)); // the period still running is left alone
        Assert.Equal((0.0, due.AddDays(1)), (after!.Spend, after.Limits.BudgetResetAt));
    }

    public void Dispose()
    {
        _outbox.Dispose();
        _http.Dispose();
        _directory.Dispose();
    }
}
