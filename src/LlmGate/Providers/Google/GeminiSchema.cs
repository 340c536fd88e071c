using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmGate.Providers.Google;

/// <summary>
/// Rewrites a JSON Schema (a <c>response_format</c> schema, a tool's <c>parameters</c>) into the OpenAPI subset Gemini's
/// <c>Schema</c> accepts, as LiteLLM does: the keywords Gemini rejects dropped, <c>$ref</c>s inlined, and null
/// alternatives (<c>anyOf</c> with <c>{"type":"null"}</c>, <c>"type":["string","null"]</c>) turned into <c>nullable</c>.
/// </summary>
internal static class GeminiSchema
{
    // Gemini answers 400 "Unknown name" for these; they carry nothing its Schema can say.
    private static readonly HashSet<string> Dropped =
        ["additionalProperties", "strict", "$schema", "title", "$id", "default", "$defs", "definitions", "$comment"];

    /// <param name="param">The request field the schema came from, named in the error a schema Gemini cannot take gets.</param>
    public static JsonObject Clean(JsonNode? schema, string param)
    {
        var root = schema as JsonObject ?? throw new ProviderRequestException($"'{param}' must be a JSON schema object.", param);
        var definitions = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var name in (ReadOnlySpan<string>)["definitions", "$defs"])
        {
            if (root[name] is JsonObject defs)
            {
                foreach (var (key, value) in defs)
                {
                    if (value is JsonObject definition)
                    {
                        definitions[$"#/{name}/{key}"] = definition;
                    }
                }
            }
        }

        return Clean(root, definitions, [], param);
    }

    private static JsonObject Clean(JsonObject schema, Dictionary<string, JsonObject> definitions, List<string> expanding, string param)
    {
        if (OpenAiChatRequest.Text(schema["$ref"]) is { } reference)
        {
            return Inline(schema, reference, definitions, expanding, param);
        }

        var result = new JsonObject();
        var nullable = false;
        JsonArray? alternatives = null;
        foreach (var (key, value) in schema)
        {
            if (Dropped.Contains(key) || value is null)
            {
                continue;
            }

            switch (key)
            {
                case "properties" when value is JsonObject properties:
                    var cleaned = new JsonObject();
                    foreach (var (name, property) in properties)
                    {
                        cleaned[name] = Clean(property as JsonObject ?? [], definitions, expanding, param);
                    }

                    result[key] = cleaned;
                    break;
                case "items" when value is JsonObject items:
                    result[key] = Clean(items, definitions, expanding, param);
                    break;
                // Gemini knows anyOf only; oneOf's "exactly one" cannot be said and reads the same to a model.
                case "anyOf" or "oneOf" when value is JsonArray branches:
                    alternatives = [];
                    foreach (var branch in branches)
                    {
                        if (branch is JsonObject branchSchema && OpenAiChatRequest.Text(branchSchema["type"]) == "null")
                        {
                            nullable = true;
                        }
                        else
                        {
                            alternatives.Add(Clean(branch as JsonObject ?? [], definitions, expanding, param));
                        }
                    }

                    break;
                case "type" when value is JsonArray types:
                    var named = types.Select(OpenAiChatRequest.Text).Where(t => t != "null").ToList();
                    nullable |= named.Count < types.Count;
                    if (named.Count != 1 || named[0] is null)
                    {
                        throw new ProviderRequestException($"A schema in '{param}' lists the types [{string.Join(", ", named)}]; Gemini takes one type (and null).", param);
                    }

                    result[key] = named[0];
                    break;
                default:
                    result[key] = value.DeepClone();
                    break;
            }
        }

        // One alternative besides null is that schema, nullable (Optional[X] in Pydantic); the keywords beside anyOf stay.
        if (alternatives is { Count: 1 } && alternatives[0] is JsonObject only)
        {
            foreach (var (key, value) in only)
            {
                if (!result.ContainsKey(key))
                {
                    result[key] = value!.DeepClone();
                }
            }
        }
        else if (alternatives is { Count: > 0 })
        {
            result["anyOf"] = alternatives;
        }

        if (nullable)
        {
            result["nullable"] = true;
        }

        return result;
    }

    private static JsonObject Inline(JsonObject schema, string reference, Dictionary<string, JsonObject> definitions, List<string> expanding, string param)
    {
        if (!definitions.TryGetValue(reference, out var definition))
        {
            throw new ProviderRequestException($"The schema in '{param}' refers to '{reference}', which is not among its $defs or definitions.", param);
        }

        // Gemini's Schema has no references, so a recursive type has no finite inlined form.
        if (expanding.Contains(reference))
        {
            throw new ProviderRequestException($"The schema in '{param}' is recursive through '{reference}'; Gemini does not support recursive schemas.", param);
        }

        expanding.Add(reference);
        var result = Clean(definition, definitions, expanding, param);
        expanding.RemoveAt(expanding.Count - 1);

        // Keywords beside $ref (a description) describe this use of the definition.
        var siblings = new JsonObject();
        foreach (var (key, value) in schema)
        {
            if (key != "$ref" && value is not null)
            {
                siblings[key] = value.DeepClone();
            }
        }

        foreach (var (key, value) in Clean(siblings, definitions, expanding, param))
        {
            result[key] = value!.DeepClone();
        }

        return result;
    }
}
