using System.Globalization;
using System.Text;
using System.Text.Json;
using LlmGate.Alerting.Messages;
using LlmGate.Secrets;

namespace LlmGate.Alerting.Chat;

/// <summary>
/// Lays an <see cref="AlertMessage"/> out as a Discord webhook message: the title as <c>content</c> (what notifications
/// show), one embed coloured by level with the summary, recent errors and links as its description and the facts as its
/// fields, and no mentions parsed (an error text with <c>@everyone</c> pings no one). Cut to Discord's limits, which
/// otherwise refuses the whole message with 400 "Invalid Form Body".
/// </summary>
internal static class DiscordMessageRenderer
{
    public const string Username = "LlmGate";
    public const int MaxContent = 2000;
    public const int MaxTitle = 256;
    public const int MaxDescription = 4096;
    public const int MaxFields = 25;
    public const int MaxFieldName = 256;
    public const int MaxFieldValue = 1024;
    public const int MaxFooter = 2048;
    public const int MaxEmbedTotal = 6000;

    public const int Red = 0xD93025;
    public const int Orange = 0xF57C00;
    public const int Yellow = 0xF9C80E;
    public const int Green = 0x2EB67D;

    public static string Render(AlertMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var title = SecretScrubber.Truncate($"{SlackMessageRenderer.Emoji(message)} {message.Title}", MaxTitle);
        var footer = SecretScrubber.Truncate(message.AlertType, MaxFooter);
        var fields = message.Facts.Take(MaxFields)
            .Select(f => (Name: SecretScrubber.Truncate(NonEmpty(f.Name), MaxFieldName), Value: SecretScrubber.Truncate(NonEmpty(f.Value), MaxFieldValue)))
            .ToList();

        // The embed's texts together stay within 6000: fields give way first, then the description.
        var room = MaxEmbedTotal - title.Length - footer.Length;
        var kept = new List<(string Name, string Value)>();
        foreach (var field in fields)
        {
            var size = field.Name.Length + field.Value.Length;
            if (size > room - 500)
            {
                break; // keep 500 for the description
            }

            kept.Add(field);
            room -= size;
        }

        var description = SecretScrubber.Truncate(Description(message), Math.Min(MaxDescription, room));

        return ChatJson.Object(json =>
        {
            json.WriteString("username", Username);
            json.WriteString("content", SecretScrubber.Truncate(message.Title, MaxContent));
            json.WriteStartArray("embeds");
            json.WriteStartObject();
            json.WriteString("title", title);
            json.WriteString("description", description);
            json.WriteNumber("color", ColorOf(message));
            json.WriteStartArray("fields");
            foreach (var (name, value) in kept)
            {
                json.WriteStartObject();
                json.WriteString("name", name);
                json.WriteString("value", value);
                json.WriteBoolean("inline", value.Length <= 40);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("timestamp", message.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            json.WriteStartObject("footer");
            json.WriteString("text", footer);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartObject("allowed_mentions");
            json.WriteStartArray("parse");
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    public static int ColorOf(AlertMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Resolved ? Green : message.Level switch
        {
            "High" => Red,
            "Medium" => Orange,
            _ => Yellow,
        };
    }

    private static string Description(AlertMessage message)
    {
        var text = new StringBuilder(message.Summary);
        if (message.RecentErrors.Count > 0)
        {
            text.Append("\n\n**Recent errors**\n```\n");
            foreach (var error in message.RecentErrors)
            {
                text.Append(SecretScrubber.Truncate(error.Replace("```", "'''", StringComparison.Ordinal), 400)).Append('\n');
            }

            text.Append("```");
        }

        foreach (var link in message.Links)
        {
            text.Append('\n').Append('[').Append(link.Text.Replace("]", ")", StringComparison.Ordinal)).Append("](").Append(link.Url.AbsoluteUri).Append(')');
        }

        return text.ToString();
    }

    private static string NonEmpty(string text) => string.IsNullOrWhiteSpace(text) ? "-" : text;
}
