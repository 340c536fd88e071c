using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LlmGate.Alerting.Messages;
using LlmGate.Configuration;
using LlmGate.OpenAi;

namespace LlmGate.Alerting.Webhook;

/// <summary>
/// The webhook's JSON: LiteLLM's <c>WebhookEvent</c> for a budget alert (so receivers written for LiteLLM keep working),
/// LlmGate's own versioned document for everything else. Both carry <c>alert_type</c>, <c>dedup_key</c> and
/// <c>status</c>, which <see cref="WebhookChannel"/> reads back for its headers.
/// </summary>
internal static class WebhookBody
{
    public const string Version = "1";

    public static string Write(AlertNotification notification, AlertMessage message)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(message);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions))
        {
            if (notification.Action == AlertAction.Trigger && notification.Type == AlertTypeNames.BudgetAlerts && message.Budget is { } budget)
            {
                WriteBudgetEvent(json, budget, message);
            }
            else
            {
                WriteAlert(json, notification, message);
            }
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // LiteLLM's CallInfo + WebhookEvent field for field, nulls written as pydantic's model_dump_json writes them.
    private static void WriteBudgetEvent(Utf8JsonWriter json, BudgetEvent budget, AlertMessage message)
    {
        json.WriteStartObject();
        json.WriteNumber("spend", budget.Spend);
        WriteNumberOrNull(json, "max_budget", budget.MaxBudget);
        WriteNumberOrNull(json, "soft_budget", budget.SoftBudget);
        json.WriteString("token", budget.Token);
        json.WriteNull("customer_id");
        json.WriteString("user_id", budget.UserId);
        json.WriteString("team_id", budget.TeamId);
        json.WriteString("team_alias", budget.TeamAlias);
        json.WriteNull("user_email");
        json.WriteString("key_alias", budget.KeyAlias);
        json.WriteNull("projected_exceeded_date");
        json.WriteNull("projected_spend");
        json.WriteString("event", budget.Event);
        json.WriteString("event_group", budget.EventGroup);
        json.WriteString("event_message", budget.EventMessage);
        json.WriteString("alert_type", message.AlertType);
        json.WriteString("dedup_key", message.DedupKey);
        json.WriteString("status", "firing");
        json.WriteEndObject();
    }

    private static void WriteAlert(Utf8JsonWriter json, AlertNotification notification, AlertMessage message)
    {
        json.WriteStartObject();
        json.WriteString("version", Version);
        json.WriteString("source", "llmgate");
        json.WriteString("status", message.Resolved ? "resolved" : "firing");
        json.WriteString("alert_type", message.AlertType);
        json.WriteString("class", notification.ClassName);
        json.WriteString("dedup_key", message.DedupKey);
        json.WriteString("title", message.Title);
        json.WriteString("level", message.Level);
        json.WriteString("severity", message.Severity.ToString().ToLowerInvariant());
        json.WriteString("summary", message.Summary);
        json.WriteString("timestamp", message.At.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        json.WriteStartObject("labels");
        foreach (var (name, value) in message.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            json.WriteString(name, value);
        }

        json.WriteEndObject();
        json.WriteStartArray("facts");
        foreach (var fact in message.Facts)
        {
            json.WriteStartObject();
            json.WriteString("name", fact.Name);
            json.WriteString("value", fact.Value);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("recent_errors");
        foreach (var error in message.RecentErrors)
        {
            json.WriteStringValue(error);
        }

        json.WriteEndArray();
        json.WriteStartArray("links");
        foreach (var link in message.Links)
        {
            json.WriteStartObject();
            json.WriteString("text", link.Text);
            json.WriteString("url", link.Url.ToString());
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
