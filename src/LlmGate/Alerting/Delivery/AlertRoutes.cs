using LlmGate.Configuration;

namespace LlmGate.Alerting.Delivery;

/// <summary>
/// Which channels a trigger goes to, by its alert type. By default the failure-rate incident pages through PagerDuty
/// alone; hangs and lost shared state go to PagerDuty and every chat, webhook and email channel; every other type to
/// the chat, webhook and email channels, limited to <c>alert_types</c> when set (budget and key-database alerts page
/// instead when no such channel is configured, as before those channels existed). <c>llmgate_settings.alerting.routes</c>
/// replaces the default of a type; <c>alert_to_webhook_url</c> sends a type to its own Slack webhooks. A resolve goes
/// where its trigger went (the notifier asks the outbox), never by these rules.
/// </summary>
internal sealed class AlertRoutes
{
    private static readonly HashSet<string> PagedAndChatted = new(StringComparer.Ordinal)
    {
        AlertTypeNames.LlmRequestsHanging, AlertTypeNames.SharedStateLost,
    };

    private static readonly HashSet<string> PagedWithoutChat = new(StringComparer.Ordinal)
    {
        AlertTypeNames.BudgetAlerts, AlertTypeNames.DbExceptions,
    };

    private readonly IReadOnlyList<IAlertChannel> _channels;
    private readonly AlertingOptions? _options;

    private AlertRoutes(IReadOnlyList<IAlertChannel> channels, AlertingOptions? options)
    {
        _channels = channels;
        _options = options;
    }

    /// <summary>Every channel, by name.</summary>
    public IReadOnlyList<IAlertChannel> Channels => _channels;

    public static AlertRoutes Create(IEnumerable<IAlertChannel> channels, AlertingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new([.. channels], options);
    }

    /// <summary>Sends every notification to every channel (tests of delivery, which is the same for every type).</summary>
    public static AlertRoutes ToEvery(IEnumerable<IAlertChannel> channels) => new([.. channels], null);

    public IAlertChannel? Channel(string name) => _channels.FirstOrDefault(c => c.Name == name);

    /// <summary>The channels a trigger of <paramref name="notification"/>'s type goes to.</summary>
    public IReadOnlyList<IAlertChannel> For(AlertNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (_options is null)
        {
            return _channels;
        }

        var type = notification.Type;
        if (_options.Routes.TryGetValue(type, out var kinds))
        {
            return [.. kinds.SelectMany(kind => OfKind(kind, type))];
        }

        var chat = _channels.Where(c => c.Kind != AlertTypeNames.PagerDutyChannel).ToList();
        var filtered = _options.AlertTypes is { } allowed && !allowed.Contains(type);
        var routed = new List<IAlertChannel>();
        var pages = type == AlertTypeNames.LlmApiFailure
            || PagedAndChatted.Contains(type)
            || (PagedWithoutChat.Contains(type) && chat.Count == 0);
        if (pages)
        {
            routed.AddRange(OfKind(AlertTypeNames.PagerDutyChannel, type));
        }

        if (type != AlertTypeNames.LlmApiFailure && !filtered)
        {
            foreach (var kind in chat.Select(c => c.Kind).Distinct(StringComparer.Ordinal))
            {
                routed.AddRange(OfKind(kind, type));
            }
        }

        return routed;
    }

    // Slack has a lane per webhook: alert_to_webhook_url's for the type, else SLACK_WEBHOOK_URL's.
    private IEnumerable<IAlertChannel> OfKind(string kind, string type)
    {
        var ofKind = _channels.Where(c => c.Kind == kind).ToList();
        if (kind != AlertTypeNames.SlackChannel)
        {
            return ofKind;
        }

        var byType = ofKind.OfType<ISlackLane>().Where(l => l.Types.Contains(type)).Cast<IAlertChannel>().ToList();
        return byType.Count > 0 ? byType : ofKind.Where(c => c is not ISlackLane { IsDefault: false });
    }
}
