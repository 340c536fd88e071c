namespace LlmGate.Alerting.Delivery;

/// <summary>
/// Says whether a silence holds a trigger back from a channel. The notifier asks once per trigger and channel; a
/// held trigger is recorded, not delivered, and goes out when the silence ends if its alert is still open.
/// </summary>
internal interface IAlertSilencer
{
    /// <summary>The id of an active silence matching <paramref name="notification"/>'s labels on <paramref name="channel"/>, or null.</summary>
    string? SilencedBy(AlertNotification notification, IAlertChannel channel);
}
