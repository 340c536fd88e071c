namespace LlmGate.Alerting.Delivery;

/// <summary>
/// A Slack channel's webhook: the default one (<c>SLACK_WEBHOOK_URL</c>), or one <c>alert_to_webhook_url</c> gives
/// the <see cref="Types"/> it lists. Lets routing pick the lane without knowing the URL.
/// </summary>
internal interface ISlackLane
{
    bool IsDefault { get; }

    IReadOnlySet<string> Types { get; }
}
