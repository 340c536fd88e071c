using System.Text.Json;
using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;
using LlmGate.Alerting.PagerDuty;
using LlmGate.Keys;
using LlmGate.Tests.Alerting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Keys;

public sealed class BudgetAlertsTests : IDisposable
{
    private const string Token = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly SqliteAlertOutbox _outbox;
    private readonly HttpClient _http = new();
    private readonly BudgetAlerts _alerts;

    public BudgetAlertsTests()
    {
        _outbox = new SqliteAlertOutbox(SqliteAlertOutbox.PathIn(_directory.Path), _time);
        var options = AlertingFixture.DefaultOptions().PagerDuty!;
        var pagerDuty = new PagerDutyChannel(new PagerDutyClient(_http, options, _time), options);
        _alerts = new BudgetAlerts(new AlertNotifier(_outbox, [pagerDuty], NullLogger<AlertNotifier>.Instance), _time);
    }

    [Fact]
    public void MaxBudget_EachLevelOnceUnderOneDedupKey_ResolvedWhenSpendFallsBack()
    {
        var key = Key(new EntityLimits { MaxBudget = 1.0 });

        Spend(key, 0.5);
        Spend(key, 0.4);  // 0.9: 85 %
        Spend(key, 0.01); // 0.91: still 85 %, nothing new
        Spend(key, 0.05); // 0.96: 95 %
        Spend(key, 0.1);  // 1.06: crossed
        key.Apply(key.Record with { Limits = new EntityLimits { MaxBudget = 10.0 } }); // the budget is raised
        _alerts.Check(key);

        var events = AlertingFixture.Drain(_outbox, PagerDutyChannel.ChannelName);
        Assert.Equal([AlertAction.Trigger, AlertAction.Trigger, AlertAction.Trigger, AlertAction.Resolve], events.Select(e => e.Action));
        Assert.Single(events.Select(e => e.DedupKey).Distinct());
        var summaries = events.Take(3).Select(e => JsonDocument.Parse(e.Payload).RootElement.GetProperty("payload").GetProperty("summary").GetString()!).ToList();
        Assert.Contains("has used 85 % of its budget", summaries[0], StringComparison.Ordinal);
        Assert.Contains("has used 95 % of its budget", summaries[1], StringComparison.Ordinal);
        Assert.Contains("has crossed its budget", summaries[2], StringComparison.Ordinal);
        Assert.All(events, e => Assert.DoesNotContain(Token, e.Payload, StringComparison.Ordinal));
    }

    [Fact]
    public void SoftBudget_CrossedOnce_NeverRefusesAndAlertsAtWarning()
    {
        var key = Key(new EntityLimits { SoftBudget = 0.5 });

        Spend(key, 0.3);
        Spend(key, 0.3);
        Spend(key, 0.3);

        var events = AlertingFixture.Drain(_outbox, PagerDutyChannel.ChannelName);
        var trigger = Assert.Single(events);
        var payload = JsonDocument.Parse(trigger.Payload).RootElement.GetProperty("payload");
        Assert.Equal("warning", payload.GetProperty("severity").GetString());
        Assert.Contains("soft_budget", payload.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.True(key.Budget.TryReserve(1, null, null, _time.GetUtcNow(), out _));
    }

    public void Dispose()
    {
        _outbox.Dispose();
        _http.Dispose();
        _directory.Dispose();
    }

    private void Spend(CachedKey key, double cost)
    {
        key.Budget.Settle(0, cost, null, _time.GetUtcNow());
        _alerts.Check(key);
    }

    private static CachedKey Key(EntityLimits limits) =>
        new(new VirtualKey { Token = Token, KeyName = "sk-...abcd", KeyAlias = "app", Limits = limits }, team: null, user: null);
}
