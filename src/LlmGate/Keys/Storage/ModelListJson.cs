using System.Text;
using System.Text.Json;

namespace LlmGate.Keys;

/// <summary>A models list as the JSON array text both stores keep it in (one column type, one reader, for SQLite and PostgreSQL).</summary>
internal static class ModelListJson
{
    public static string Write(IReadOnlyList<string> models)
    {
        if (models.Count == 0)
        {
            return "[]";
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var model in models)
            {
                writer.WriteStringValue(model);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static IReadOnlyList<string> Read(string? json)
    {
        if (string.IsNullOrEmpty(json) || json == "[]")
        {
            return [];
        }

        using var document = JsonDocument.Parse(json);
        var models = new List<string>(document.RootElement.GetArrayLength());
        foreach (var element in document.RootElement.EnumerateArray())
        {
            if (element.GetString() is { } model)
            {
                models.Add(model);
            }
        }

        return models;
    }
}
