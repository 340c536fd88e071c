using System.Text.Json.Nodes;

namespace LlmGate.Testing;

/// <summary>
/// Gemini's <c>Schema</c>: the OpenAPI subset it takes for function parameters and <c>responseSchema</c>. JSON Schema
/// words outside it (<c>additionalProperties</c>, <c>$schema</c>, <c>strict</c>, <c>$ref</c>, a list as <c>type</c>, …)
/// are refused as Google refuses them, so a gateway that forwards OpenAI's schemas untouched is caught.
/// </summary>
internal static class GeminiSchemaCheck
{
    private static readonly HashSet<string> Fields =
    [
        "type", "format", "title", "description", "nullable", "enum", "maxItems", "minItems", "properties", "required",
        "minProperties", "maxProperties", "minLength", "maxLength", "pattern", "example", "anyOf", "propertyOrdering",
        "default", "items", "minimum", "maximum",
    ];

    private static readonly HashSet<string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        "TYPE_UNSPECIFIED", "STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT", "NULL",
    };

    /// <summary>What is wrong with the schema at <paramref name="path"/>, or null.</summary>
    public static string? Check(JsonNode? node, string path)
    {
        if (GoogleJson.Message(node, Fields, path, "Schema", out var schema) is { } invalidSchema)
        {
            return invalidSchema;
        }

        if (schema["type"] is { } type && !(GoogleJson.StringOf(type) is { } typeName && Types.Contains(typeName)))
        {
            return GoogleJson.InvalidValue(path + ".type", "type.googleapis.com/google.ai.generativelanguage.v1beta.Type", type);
        }

        var properties = schema["properties"];
        if (properties is not null and not JsonObject)
        {
            return GoogleJson.InvalidValue(path + ".properties", "map", properties);
        }

        foreach (var (name, property) in properties as JsonObject ?? [])
        {
            if (Check(property, $"{path}.properties[{name}]") is { } invalid)
            {
                return invalid;
            }
        }

        if (GoogleJson.Get(schema, "items") is { } items && Check(items, path + ".items") is { } invalidItems)
        {
            return invalidItems;
        }

        if (GoogleJson.Get(schema, "anyOf") is { } anyOf)
        {
            if (anyOf is not JsonArray options)
            {
                return GoogleJson.InvalidValue(path + ".any_of", "list", anyOf);
            }

            for (var i = 0; i < options.Count; i++)
            {
                if (Check(options[i], $"{path}.any_of[{i}]") is { } invalid)
                {
                    return invalid;
                }
            }
        }

        return CheckNames(schema, "enum", path) ?? CheckNames(schema, "propertyOrdering", path) ?? CheckRequired(schema, properties as JsonObject, path);
    }

    private static string? CheckNames(JsonObject schema, string field, string path)
    {
        var node = GoogleJson.Get(schema, field);
        return node is null || (node is JsonArray names && names.All(n => GoogleJson.StringOf(n) is not null))
            ? null
            : GoogleJson.InvalidValue(GoogleJson.Join(path, field), "TYPE_STRING", node);
    }

    // Google checks that each required property is one the schema defines.
    private static string? CheckRequired(JsonObject schema, JsonObject? properties, string path)
    {
        if (CheckNames(schema, "required", path) is { } invalid)
        {
            return invalid;
        }

        var required = schema["required"] as JsonArray ?? [];
        for (var i = 0; i < required.Count; i++)
        {
            if (properties?.ContainsKey(GoogleJson.StringOf(required[i])!) != true)
            {
                return $"* GenerateContentRequest.{path}.required[{i}]: property is not defined";
            }
        }

        return null;
    }
}
