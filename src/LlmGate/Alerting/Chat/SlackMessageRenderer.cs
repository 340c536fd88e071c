using System.Globalization;
using System.Text;
using System.Text.Json;
using LlmGate.Alerting.Messages;
using LlmGate.Secrets;

namespace LlmGate.Alerting.Chat;

/// <summary>
/// Lays an <see cref="AlertMessage"/> out as a Slack incoming-webhook message: LiteLLM's <c>text</c> (what
/// notifications and Slack-compatible hooks show) and Block Kit <c>blocks</c> (header, summary, facts as fields, recent
/// errors, context, links), every text escaped for mrkdwn and cut to fit Slack's limits, which otherwise refuses the
/// whole message with 400 <c>invalid_blocks</c>.
/// </summary>
internal static class SlackMessageRenderer
{
    public const int MaxText = 40_000;
    public const int MaxHeader = 150;
    public const int MaxSectionText = 3000;
    public const int MaxFieldText = 2000;
    public const int MaxFields = 10;
    public const int MaxBlocks = 50;

    public static string Render(AlertMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return ChatJson.Object(json =>
        {
            json.WriteString("text", SecretScrubber.Truncate(FallbackText(message), MaxText));
            json.WriteStartArray("blocks");
            WriteBlocks(json, message);
            json.WriteEndArray();
        });
    }

    /// <summary>🔴 High, 🟠 Medium, 🟡 Low; ✅ once resolved.</summary>
    public static string Emoji(AlertMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Resolved ? "✅" : message.Level switch
        {
            "High" => "🔴",
            "Medium" => "🟠",
            _ => "🟡",
        };
    }

    /// <summary>Slack's mrkdwn treats <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> as control characters: escaped, nothing else.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
    }

    // LiteLLM's layout ("Level: `High`\n...\n\nMessage: ..."), so what read its alerts reads ours.
    private static string FallbackText(AlertMessage message) =>
        $"Level: `{message.Level}`\nAlert type: `{Escape(message.AlertType)}`\n\nMessage: {Escape(message.Headline())}";

    private static void WriteBlocks(Utf8JsonWriter json, AlertMessage message)
    {
        var blocks = 0;
        json.WriteStartObject();
        json.WriteString("type", "header");
        WritePlainText(json, "text", SecretScrubber.Truncate($"{Emoji(message)} {message.Title}", MaxHeader));
        json.WriteEndObject();
        blocks++;

        WriteSection(json, Escape(message.Summary));
        blocks++;

        // Room for the errors, context and links blocks after the facts.
        var factBlocks = Math.Min((message.Facts.Count + MaxFields - 1) / MaxFields, MaxBlocks - blocks - 3);
        for (var i = 0; i < factBlocks; i++)
        {
            json.WriteStartObject();
            json.WriteString("type", "section");
            json.WriteStartArray("fields");
            foreach (var fact in message.Facts.Skip(i * MaxFields).Take(MaxFields))
            {
                WriteMrkdwn(json, null, SecretScrubber.Truncate($"*{Escape(fact.Name)}*\n{Escape(fact.Value)}", MaxFieldText));
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        if (message.RecentErrors.Count > 0)
        {
            WriteSection(json, CodeBlock("*Recent errors*", message.RecentErrors));
        }

        json.WriteStartObject();
        json.WriteString("type", "context");
        json.WriteStartArray("elements");
        var at = message.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        var key = message.DedupKey.Length > 12 ? message.DedupKey[..12] + "…" : message.DedupKey;
        WriteMrkdwn(json, null, SecretScrubber.Truncate($"`{Escape(message.AlertType)}` · {at} · dedup key `{Escape(key)}`", MaxSectionText));
        json.WriteEndArray();
        json.WriteEndObject();

        if (message.Links.Count > 0)
        {
            // Links in mrkdwn rather than buttons: a button in an incoming webhook's message shows a warning when
            // the Slack app has no interactivity URL, which an alerting webhook has not.
            WriteSection(json, string.Join("   ", message.Links.Select(l => $"<{LinkTarget(l.Url)}|{LinkText(l.Text)}>")));
        }
    }

    // A code block whose lines cannot close it early; cut line by line so the closing fence is never lost.
    private static string CodeBlock(string heading, IReadOnlyList<string> lines)
    {
        const string Fence = "```";
        var text = new StringBuilder(heading).Append('\n').Append(Fence);
        var room = MaxSectionText - text.Length - Fence.Length - 2;
        foreach (var line in lines)
        {
            var escaped = Escape(line.Replace(Fence, "'''", StringComparison.Ordinal));
            if (escaped.Length + 1 > room)
            {
                if (room > 2)
                {
                    text.Append(SecretScrubber.Truncate(escaped, room - 1)).Append('\n');
                }

                break;
            }

            text.Append(escaped).Append('\n');
            room -= escaped.Length + 1;
        }

        return text.Append(Fence).ToString();
    }

    private static string LinkTarget(Uri url) => url.AbsoluteUri.Replace("|", "%7C", StringComparison.Ordinal).Replace(">", "%3E", StringComparison.Ordinal);

    private static string LinkText(string text) => Escape(text).Replace("|", "/", StringComparison.Ordinal);

    private static void WriteSection(Utf8JsonWriter json, string mrkdwn)
    {
        json.WriteStartObject();
        json.WriteString("type", "section");
        WriteMrkdwn(json, "text", SecretScrubber.Truncate(mrkdwn, MaxSectionText));
        json.WriteEndObject();
    }

    private static void WriteMrkdwn(Utf8JsonWriter json, string? property, string text)
    {
        if (property is null)
        {
            json.WriteStartObject();
        }
        else
        {
            json.WriteStartObject(property);
        }

        json.WriteString("type", "mrkdwn");
        json.WriteString("text", text.Length > 0 ? text : " ");
        json.WriteEndObject();
    }

    private static void WritePlainText(Utf8JsonWriter json, string property, string text)
    {
        json.WriteStartObject(property);
        json.WriteString("type", "plain_text");
        json.WriteString("text", text);
        json.WriteBoolean("emoji", true);
        json.WriteEndObject();
    }
}
