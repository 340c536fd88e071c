using System.Buffers;
using System.Text;
using System.Text.Json;
using LlmGate.OpenAi;

namespace LlmGate.Keys;

/// <summary>The store keeps <c>metadata</c> and <c>members_with_roles</c> as JSON text; these turn it back into JSON.</summary>
internal static class JsonObjects
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;
    private static readonly JsonElement EmptyArray = JsonDocument.Parse("[]").RootElement;

    public static JsonElement Parse(string? text, bool array = false)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                // A row written by hand or another tool: shown as empty rather than failing every read of it.
            }
        }

        return array ? EmptyArray : EmptyObject;
    }

    /// <summary><paramref name="metadata"/> (an object's text) with <c>tags</c> set to <paramref name="tags"/>, as LiteLLM keeps them.</summary>
    public static string WithTags(string metadata, IReadOnlyList<string> tags)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var property in Parse(metadata).EnumerateObject())
            {
                if (property.Name != "tags")
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteStartArray("tags");
            foreach (var tag in tags)
            {
                writer.WriteStringValue(tag);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
