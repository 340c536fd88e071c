using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;
using LlmGate.Configuration;

namespace LlmGate.Tests.Alerting.Delivery;

public sealed class AlertRoutesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly RecordingChannel PagerDuty = new("pagerduty");
    private static readonly RecordingChannel Slack = new("slack");
    private static readonly RecordingChannel Webhook = new("webhook");

    [Theory]
    [InlineData(AlertTypeNames.LlmApiFailure, "pagerduty")]
    [InlineData(AlertTypeNames.LlmRequestsHanging, "pagerduty,slack,webhook")]
    [InlineData(AlertTypeNames.SharedStateLost, "pagerduty,slack,webhook")]
    [InlineData(AlertTypeNames.OutageAlerts, "slack,webhook")]
    [InlineData(AlertTypeNames.LlmExceptions, "slack,webhook")]
    [InlineData(AlertTypeNames.BudgetAlerts, "slack,webhook")]
    [InlineData(AlertTypeNames.DailyReports, "slack,webhook")]
    public void For_DefaultRoutes_FailureIncidentsPageHangsGoEverywhereTheRestToChat(string type, string expected)
    {
        var routes = AlertRoutes.Create([PagerDuty, Slack, Webhook], new AlertingOptions());

        Assert.Equal(expected, Names(routes.For(Notice(type))));
    }

    [Theory]
    [InlineData(AlertTypeNames.BudgetAlerts, "pagerduty")]
    [InlineData(AlertTypeNames.DbExceptions, "pagerduty")]
    [InlineData(AlertTypeNames.OutageAlerts, "")]
    public void For_OnlyPagerDuty_BudgetAndDatabaseAlertsStillPage(string type, string expected)
    {
        var routes = AlertRoutes.Create([PagerDuty], new AlertingOptions());

        Assert.Equal(expected, Names(routes.For(Notice(type))));
    }

    [Fact]
    public void For_AlertTypesSet_FiltersChatChannelsButNeverPagerDuty()
    {
        var routes = AlertRoutes.Create([PagerDuty, Slack], new AlertingOptions { AlertTypes = new HashSet<string> { AlertTypeNames.LlmExceptions } });

        Assert.Equal("slack", Names(routes.For(Notice(AlertTypeNames.LlmExceptions))));
        Assert.Equal("", Names(routes.For(Notice(AlertTypeNames.OutageAlerts))));
        Assert.Equal("pagerduty", Names(routes.For(Notice(AlertTypeNames.LlmRequestsHanging))));
    }

    [Fact]
    public void For_RouteConfigured_ReplacesTheDefaultOfItsTypeOnly()
    {
        var options = new AlertingOptions
        {
            Routes = new Dictionary<string, IReadOnlyList<string>> { [AlertTypeNames.OutageAlerts] = ["pagerduty", "webhook"] },
        };
        var routes = AlertRoutes.Create([PagerDuty, Slack, Webhook], options);

        Assert.Equal("pagerduty,webhook", Names(routes.For(Notice(AlertTypeNames.OutageAlerts))));
        Assert.Equal("slack,webhook", Names(routes.For(Notice(AlertTypeNames.LlmTooSlow))));
    }

    [Fact]
    public void For_SlackLanesByType_TypeGoesToItsWebhooksOthersToTheDefault()
    {
        var defaultLane = new SlackLane("slack", isDefault: true, []);
        var outages = new SlackLane("slack-1", isDefault: false, [AlertTypeNames.OutageAlerts]);
        var both = new SlackLane("slack-2", isDefault: false, [AlertTypeNames.OutageAlerts, AlertTypeNames.LlmTooSlow]);
        var routes = AlertRoutes.Create([defaultLane, outages, both], new AlertingOptions());

        Assert.Equal("slack-1,slack-2", Names(routes.For(Notice(AlertTypeNames.OutageAlerts))));
        Assert.Equal("slack-2", Names(routes.For(Notice(AlertTypeNames.LlmTooSlow))));
        Assert.Equal("slack", Names(routes.For(Notice(AlertTypeNames.BudgetAlerts))));
    }

    [Fact]
    public void For_SlackLanesByTypeWithoutDefault_OtherTypesGoNowhereInSlack()
    {
        var outages = new SlackLane("slack-1", isDefault: false, [AlertTypeNames.OutageAlerts]);
        var routes = AlertRoutes.Create([outages], new AlertingOptions());

        Assert.Equal("slack-1", Names(routes.For(Notice(AlertTypeNames.OutageAlerts))));
        Assert.Equal("", Names(routes.For(Notice(AlertTypeNames.LlmTooSlow))));
    }

    private static AlertNotification Notice(string type) =>
        AlertNotification.Noticed("key-" + type, type, "llmgate_test", "A test", new AlertNotice("a test", AlertSeverity.Warning), Now);

    private static string Names(IReadOnlyList<IAlertChannel> channels) => string.Join(",", channels.Select(c => c.Name));

    private sealed class SlackLane(string name, bool isDefault, IReadOnlyList<string> types) : IAlertChannel, ISlackLane
    {
        public string Name => name;

        public string Kind => AlertTypeNames.SlackChannel;

        public DeliveryRateLimit RateLimit => DeliveryRateLimit.ChatWebhook;

        public bool IsDefault => isDefault;

        public IReadOnlySet<string> Types { get; } = new HashSet<string>(types, StringComparer.Ordinal);

        public string Render(AlertNotification notification) => notification.DedupKey;

        public Task<DeliveryAnswer> SendAsync(string payload, CancellationToken cancellationToken) => Task.FromResult(RecordingChannel.Delivered);
    }
}
