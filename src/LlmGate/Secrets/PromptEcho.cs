using System.Text.Encodings.Web;
using System.Text.Json;

namespace LlmGate.Secrets;

/// <summary>
/// Removes from an upstream's error message the request's own text that it echoes: a validation error's
/// <c>"input": "..."</c> (FastAPI, pydantic), a 400 that quotes the request. The client may read its prompt back; alerts
/// and logs must not, so what reaches them is this. Every string value of the request of at least
/// <see cref="MinLength"/> characters (<c>model</c> excepted) is looked for, as it is and JSON-escaped, and an echo of its
/// start, whole or cut short, becomes <c>[prompt]</c>. On the failure path only: one read of the request body.
/// </summary>
internal static class PromptEcho
{
    public const int MinLength = 12;
    private const string Replacement = "[prompt]";

    public static string Redact(string message, ReadOnlySpan<byte> requestBody)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Length < MinLength || requestBody.IsEmpty)
        {
            return message;
        }

        var reader = new Utf8JsonReader(requestBody);
        var isModel = false;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    isModel = reader.ValueTextEquals("model"u8);
                    continue;
                }

                if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length < MinLength || isModel)
                {
                    isModel = false;
                    continue;
                }

                var value = reader.GetString()!;
                message = RedactEchoes(message, value, JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value);
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            // What was read so far is redacted; a body the proxy accepted is JSON, so this is a body cut short.
        }

        return message;
    }

    // Each place the message holds the value's first MinLength characters, as it is or JSON-escaped, up to where it stops
    // matching the longer-matching of the two.
    private static string RedactEchoes(string message, string value, string escaped)
    {
        if (value.Length < MinLength)
        {
            return message;
        }

        foreach (var head in value.AsSpan(0, MinLength).SequenceEqual(escaped.AsSpan(0, MinLength)) ? [value] : new[] { value, escaped })
        {
            var from = 0;
            int at;
            while ((at = message.AsSpan(from).IndexOf(head.AsSpan(0, MinLength), StringComparison.Ordinal)) >= 0)
            {
                at += from;
                var length = Math.Max(Common(message, at, value), Common(message, at, escaped));
                message = string.Concat(message.AsSpan(0, at), Replacement, message.AsSpan(at + length));
                from = at + Replacement.Length;
            }
        }

        return message;
    }

    private static int Common(string message, int at, string value)
    {
        var length = 0;
        while (at + length < message.Length && length < value.Length && message[at + length] == value[length])
        {
            length++;
        }

        return length;
    }
}
