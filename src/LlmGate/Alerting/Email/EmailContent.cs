using System.Buffers;
using System.Text;
using System.Text.Json;
using LlmGate.OpenAi;

namespace LlmGate.Alerting.Email;

/// <summary>
/// An alert email as queued: subject, plain text and HTML, as a small JSON document. Holds no address: the sender and
/// recipients are the ones configured when it is sent.
/// </summary>
internal sealed record EmailContent(string Subject, string Text, string Html)
{
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var json = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("subject", Subject);
            json.WriteString("text", Text);
            json.WriteString("html", Html);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The queued payload back; null when it is not one (a row from a different version, say).</summary>
    public static EmailContent? FromJson(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("subject", out var subject) && subject.ValueKind == JsonValueKind.String
                && root.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
                && root.TryGetProperty("html", out var html) && html.ValueKind == JsonValueKind.String
                ? new EmailContent(subject.GetString()!, text.GetString()!, html.GetString()!)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
