using System.Text;
using System.Text.Json;

namespace LlmGate.Alerting.PagerDuty;

/// <summary>Puts the routing key into a queued event's body just before it is sent.</summary>
internal static class PagerDutyEventBody
{
    public static byte[] WithRoutingKey(string bodyWithoutRoutingKey, string routingKey)
    {
        ArgumentNullException.ThrowIfNull(bodyWithoutRoutingKey);
        if (bodyWithoutRoutingKey.Length < 2 || bodyWithoutRoutingKey[0] != '{')
        {
            throw new ArgumentException("The event body must be a non-empty JSON object.", nameof(bodyWithoutRoutingKey));
        }

        // The queued body is always an object with at least event_action, so the key goes first, then a comma.
        var key = JsonEncodedText.Encode(routingKey).ToString();
        var body = string.Concat("{\"routing_key\":\"", key, "\",", bodyWithoutRoutingKey.AsSpan(1));
        return Encoding.UTF8.GetBytes(body);
    }
}
