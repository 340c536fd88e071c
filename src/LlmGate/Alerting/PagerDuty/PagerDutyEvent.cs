namespace LlmGate.Alerting.PagerDuty;

/// <summary>
/// An Events API v2 event ready to queue: <see cref="BodyWithoutRoutingKey"/> is the JSON body without
/// <c>routing_key</c>, which the sender adds at send time so the secret is never stored at rest.
/// </summary>
internal sealed record PagerDutyEvent(string DedupKey, string Action, string BodyWithoutRoutingKey)
{
    public const string Trigger = "trigger";
    public const string Resolve = "resolve";
}
