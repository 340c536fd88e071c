using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;

namespace LlmGate.Tests.Alerting.Conditions;

/// <summary>A chat-kind channel that keeps every notification rendered for it (the notifier renders when it queues).</summary>
internal sealed class RecordingChannel(string name = "slack") : IAlertChannel
{
    private readonly List<AlertNotification> _rendered = [];

    public string Name => name;

    public string Kind => name;

    public DeliveryRateLimit RateLimit => DeliveryRateLimit.ChatWebhook;

    public IReadOnlyList<AlertNotification> Rendered => _rendered;

    public IReadOnlyList<AlertNotification> Triggers => [.. _rendered.Where(n => n.Action == AlertAction.Trigger)];

    public IReadOnlyList<AlertNotification> Resolves => [.. _rendered.Where(n => n.Action == AlertAction.Resolve)];

    public string Render(AlertNotification notification)
    {
        _rendered.Add(notification);
        return "{}";
    }

    public Task<DeliveryAnswer> SendAsync(string payload, CancellationToken cancellationToken) => throw new NotSupportedException("never sent in these tests");
}
