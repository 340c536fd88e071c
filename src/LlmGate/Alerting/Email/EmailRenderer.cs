using System.Globalization;
using System.Net;
using System.Text;
using LlmGate.Alerting.Messages;

namespace LlmGate.Alerting.Email;

/// <summary>
/// Lays an <see cref="AlertMessage"/> out as an email: subject <c>[LlmGate] High: High LLM API Failure Rate</c> (or
/// <c>[LlmGate] Resolved: …</c>), the plain-text message, and the same as simple HTML with every value escaped.
/// </summary>
internal static class EmailRenderer
{
    public const string SubjectPrefix = "[LlmGate] ";
    private const int MaxSubjectLength = 200;

    public static EmailContent Render(AlertMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var subject = message.Resolved ? message.Title : $"{message.Level}: {message.Title}";
        return new EmailContent(Subject(subject), Text(message), Html(message));
    }

    // One line: a header with a line break in it would be refused, or worse, split into another header.
    private static string Subject(string text)
    {
        var line = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return Secrets.SecretScrubber.Truncate(SubjectPrefix + line, MaxSubjectLength);
    }

    private static string Text(AlertMessage message) =>
        new StringBuilder()
            .Append("Level: ").Append(message.Level).Append('\n')
            .Append("Time: ").Append(Timestamp(message.At)).Append("\n\n")
            .Append(message.PlainText()).Append("\n\n")
            .Append("dedup_key: ").Append(message.DedupKey).Append('\n')
            .ToString();

    private static string Html(AlertMessage message)
    {
        var html = new StringBuilder(2048);
        html.Append("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
        html.Append("<h2>").Append(E(message.Title)).Append("</h2>");
        html.Append("<p><b>Level:</b> ").Append(E(message.Level)).Append(" &middot; <b>Time:</b> ").Append(E(Timestamp(message.At))).Append("</p>");
        html.Append("<p>").Append(E(message.Summary)).Append("</p>");
        if (message.Facts.Count > 0)
        {
            html.Append("<table cellpadding=\"4\">");
            foreach (var fact in message.Facts)
            {
                html.Append("<tr><th align=\"left\">").Append(E(fact.Name)).Append("</th><td>").Append(E(fact.Value)).Append("</td></tr>");
            }

            html.Append("</table>");
        }

        if (message.RecentErrors.Count > 0)
        {
            html.Append("<h3>Recent errors</h3><ul>");
            foreach (var error in message.RecentErrors)
            {
                html.Append("<li><code>").Append(E(error)).Append("</code></li>");
            }

            html.Append("</ul>");
        }

        if (message.Links.Count > 0)
        {
            html.Append("<p>");
            foreach (var link in message.Links)
            {
                html.Append("<a href=\"").Append(E(link.Url.ToString())).Append("\">").Append(E(link.Text)).Append("</a> ");
            }

            html.Append("</p>");
        }

        html.Append("<p style=\"color:#888\">dedup_key ").Append(E(message.DedupKey)).Append("</p></body></html>");
        return html.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Timestamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
