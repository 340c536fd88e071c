using LlmGate.Alerting;
using LlmGate.Alerting.Conditions;
using LlmGate.Calls;
using LlmGate.Configuration;
using LlmGate.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Tests.Alerting.Conditions;

public sealed class ConditionWiringTests
{
    private static readonly SlackOptions Slack = new() { WebhookUrl = new Uri("https://hooks.slack.invalid/services/T/B/x") };

    [Fact]
    public void WantedTypes_OnlyPagerDutyAndNoRoutes_None()
    {
        var options = new AlertingOptions { PagerDuty = new PagerDutyOptions { RoutingKey = "k" } };

        Assert.Empty(ConditionSelection.WantedTypes(options));
    }

    [Fact]
    public void WantedTypes_RouteToPagerDuty_ThatTypeOnly()
    {
        var options = new AlertingOptions
        {
            PagerDuty = new PagerDutyOptions { RoutingKey = "k" },
            Routes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { [AlertTypeNames.OutageAlerts] = ["pagerduty"] },
        };

        Assert.Equal([AlertTypeNames.OutageAlerts], ConditionSelection.WantedTypes(options));
    }

    [Fact]
    public void WantedTypes_ChatChannelWithAlertTypes_OnlyTheListedOnesOrRouted()
    {
        var options = new AlertingOptions
        {
            Channels = new AlertChannelsOptions { Slack = Slack },
            AlertTypes = new HashSet<string>(StringComparer.Ordinal) { AlertTypeNames.LlmTooSlow, AlertTypeNames.BudgetAlerts },
            Routes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { [AlertTypeNames.DailyReports] = ["slack"] },
        };

        Assert.Equal([AlertTypeNames.LlmTooSlow, AlertTypeNames.DailyReports], ConditionSelection.WantedTypes(options));
    }

    [Fact]
    public void WantedTypes_ChatChannelNoAlertTypes_Every()
    {
        var options = new AlertingOptions { Channels = new AlertChannelsOptions { Slack = Slack } };

        Assert.Equal(ConditionSelection.Types, ConditionSelection.WantedTypes(options));
    }

    [Fact]
    public void AddAlertConditions_NothingWanted_NoObserverNoListenerNoLoop()
    {
        var config = new GatewayConfig { Deployments = [], Alerting = new AlertingOptions() };

        var services = new ServiceCollection().AddAlertConditions(config);

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(ICallObserver) || d.ServiceType == typeof(ICooldownListener));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(ConditionMonitor));
    }

    [Fact]
    public void AddAlertConditions_CooldownNotWanted_NoCooldownListener()
    {
        var config = new GatewayConfig
        {
            Deployments = [],
            Alerting = new AlertingOptions
            {
                Routes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { [AlertTypeNames.LlmExceptions] = ["pagerduty"] },
            },
        };

        var services = new ServiceCollection().AddAlertConditions(config);

        Assert.Contains(services, d => d.ServiceType == typeof(ICallObserver));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(ICooldownListener));
    }

    [Fact]
    public void ConditionSet_OnlyWantedTypes_OthersHaveNoState()
    {
        using var harness = new ConditionHarness(new AlertingOptions(), types: [AlertTypeNames.LlmTooSlow]);

        Assert.NotNull(harness.Set.Slow);
        Assert.Null(harness.Set.Exceptions);
        Assert.Null(harness.Set.Outage);
        Assert.Null(harness.Set.Daily);
        Assert.Single(harness.Set.Evaluators);
    }
}
