using System.Globalization;
using System.Text.Json;
using LlmGate.Alerting.Messages;
using LlmGate.Secrets;

namespace LlmGate.Alerting.Chat;

/// <summary>
/// Lays an <see cref="AlertMessage"/> out as the message a Teams Workflows webhook takes: LiteLLM's shape (one
/// Adaptive Card 1.4 attachment, full width) with the title coloured by level, the summary, the facts as a FactSet,
/// the recent errors in monospace and a button per link. Texts are cut so the card stays well under Teams' 28 KB.
/// </summary>
internal static class TeamsCardRenderer
{
    public const string CardContentType = "application/vnd.microsoft.card.adaptive";
    public const string CardVersion = "1.4";
    private const int MaxTitle = 200;
    private const int MaxSummary = 2000;
    private const int MaxFacts = 20;
    private const int MaxFactValue = 500;
    private const int MaxErrors = 3000;

    public static string Render(AlertMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return ChatJson.Object(json =>
        {
            json.WriteString("type", "message");
            json.WriteStartArray("attachments");
            json.WriteStartObject();
            json.WriteString("contentType", CardContentType);
            json.WriteNull("contentUrl");
            json.WriteStartObject("content");
            json.WriteString("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
            json.WriteString("type", "AdaptiveCard");
            json.WriteString("version", CardVersion);
            json.WriteStartObject("msteams");
            json.WriteString("width", "Full");
            json.WriteEndObject();
            WriteBody(json, message);
            json.WriteStartArray("actions");
            foreach (var link in message.Links)
            {
                json.WriteStartObject();
                json.WriteString("type", "Action.OpenUrl");
                json.WriteString("title", link.Text);
                json.WriteString("url", link.Url.AbsoluteUri);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
        });
    }

    /// <summary>Adaptive Card colours: <c>good</c> once resolved, <c>attention</c> for High, <c>warning</c> for Medium.</summary>
    public static string ColorOf(AlertMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Resolved ? "good" : message.Level switch
        {
            "High" => "attention",
            "Medium" => "warning",
            _ => "default",
        };
    }

    private static void WriteBody(Utf8JsonWriter json, AlertMessage message)
    {
        json.WriteStartArray("body");
        json.WriteStartObject();
        json.WriteString("type", "TextBlock");
        json.WriteString("text", SecretScrubber.Truncate(message.Title, MaxTitle));
        json.WriteString("weight", "bolder");
        json.WriteString("size", "medium");
        json.WriteString("color", ColorOf(message));
        json.WriteBoolean("wrap", true);
        json.WriteEndObject();

        WriteText(json, SecretScrubber.Truncate(message.Summary, MaxSummary));

        if (message.Facts.Count > 0)
        {
            json.WriteStartObject();
            json.WriteString("type", "FactSet");
            json.WriteStartArray("facts");
            foreach (var fact in message.Facts.Take(MaxFacts))
            {
                json.WriteStartObject();
                json.WriteString("title", fact.Name);
                json.WriteString("value", SecretScrubber.Truncate(fact.Value, MaxFactValue));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        if (message.RecentErrors.Count > 0)
        {
            WriteText(json, "Recent errors", weight: "bolder");
            json.WriteStartObject();
            json.WriteString("type", "TextBlock");
            json.WriteString("text", SecretScrubber.Truncate(string.Join("\n\n", message.RecentErrors), MaxErrors));
            json.WriteString("fontType", "monospace");
            json.WriteBoolean("wrap", true);
            json.WriteEndObject();
        }

        var at = message.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        json.WriteStartObject();
        json.WriteString("type", "TextBlock");
        json.WriteString("text", $"{message.AlertType} · {at}");
        json.WriteBoolean("isSubtle", true);
        json.WriteString("size", "small");
        json.WriteBoolean("wrap", true);
        json.WriteEndObject();
        json.WriteEndArray();
    }

    private static void WriteText(Utf8JsonWriter json, string text, string? weight = null)
    {
        json.WriteStartObject();
        json.WriteString("type", "TextBlock");
        json.WriteString("text", text);
        if (weight is not null)
        {
            json.WriteString("weight", weight);
        }

        json.WriteBoolean("wrap", true);
        json.WriteEndObject();
    }
}
