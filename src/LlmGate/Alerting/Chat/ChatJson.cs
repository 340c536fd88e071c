using System.Text;
using System.Text.Json;

namespace LlmGate.Alerting.Chat;

/// <summary>Writes a chat message's JSON object with a <see cref="Utf8JsonWriter"/>: no reflection, and every text escaped.</summary>
internal static class ChatJson
{
    public static string Object(Action<Utf8JsonWriter> writeProperties)
    {
        ArgumentNullException.ThrowIfNull(writeProperties);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            writeProperties(json);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
