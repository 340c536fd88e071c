using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmGate.Testing;

/// <summary>
/// Google's JSON as its front end reads it: every proto field under its lowerCamelCase name or its original snake_case
/// name, and Google's own file layout (two-space indent, '+' and '/' not escaped) for credential files.
/// </summary>
internal static class GoogleJson
{
    private static readonly JsonSerializerOptions FileOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The lowerCamelCase name of a field given in either spelling: <c>inline_data</c> → <c>inlineData</c>.</summary>
    public static string Camel(string name)
    {
        if (!name.Contains('_', StringComparison.Ordinal))
        {
            return name;
        }

        var camel = new StringBuilder(name.Length);
        var upper = false;
        foreach (var c in name)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }

            camel.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return camel.ToString();
    }

    /// <summary>The snake_case name Google uses in its error messages: <c>inlineData</c> → <c>inline_data</c>.</summary>
    public static string Snake(string name)
    {
        var snake = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c))
            {
                snake.Append('_').Append(char.ToLowerInvariant(c));
            }
            else
            {
                snake.Append(c);
            }
        }

        return snake.ToString();
    }

    /// <summary>The field <paramref name="camelName"/> under either spelling, or null when absent.</summary>
    public static JsonNode? Get(JsonObject? obj, string camelName) => obj?[camelName] ?? obj?[Snake(camelName)];

    public static string? StringOf(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static bool IsInteger(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out _);

    public static bool IsNumber(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.Number;

    public static bool IsBoolean(JsonNode? node) => node?.GetValueKind() is JsonValueKind.True or JsonValueKind.False;

    /// <summary>
    /// The proto JSON parser's refusal of the first field of <paramref name="obj"/> that is not one of
    /// <paramref name="allowed"/> (camelCase names; either spelling accepted) or that is given in both spellings; null when all are known.
    /// </summary>
    /// <param name="path">Where <paramref name="obj"/> is, in Google's snake_case notation; empty for the request itself.</param>
    public static string? UnknownField(JsonObject obj, IReadOnlySet<string> allowed, string path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in obj)
        {
            var camel = Camel(name);
            if (!allowed.Contains(camel))
            {
                return path.Length == 0
                    ? $"Invalid JSON payload received. Unknown name \"{name}\": Cannot find field."
                    : $"Invalid JSON payload received. Unknown name \"{name}\" at '{path}': Cannot find field.";
            }

            if (!seen.Add(camel))
            {
                return $"Invalid JSON payload received. Field \"{Snake(camel)}\" is given twice{(path.Length == 0 ? "" : $" at '{path}'")} (as {camel} and {Snake(camel)}).";
            }
        }

        return null;
    }

    /// <summary>
    /// Null when <paramref name="node"/> is a JSON object with only fields from <paramref name="fields"/> (then
    /// <paramref name="message"/> is it); else the parser's refusal of it as a <paramref name="messageType"/>.
    /// </summary>
    /// <param name="messageType">The proto message's short name, e.g. <c>Part</c>.</param>
    public static string? Message(JsonNode? node, IReadOnlySet<string> fields, string path, string messageType, out JsonObject message)
    {
        message = node as JsonObject ?? [];
        return node is JsonObject
            ? UnknownField(message, fields, path)
            : InvalidValue(path, "type.googleapis.com/google.ai.generativelanguage.v1beta." + messageType, node);
    }

    /// <summary>The proto JSON parser's refusal of a value of the wrong type, e.g. <c>Invalid value at 'generation_config.temperature' (TYPE_FLOAT), "hot"</c>.</summary>
    public static string InvalidValue(string path, string protoType, JsonNode? value) =>
        $"Invalid value at '{path}' ({protoType}), {value?.ToJsonString() ?? "null"}";

    /// <summary>A field path joined Google's way: <c>Join("contents[0]", "inlineData")</c> → <c>contents[0].inline_data</c>.</summary>
    public static string Join(string path, string camelName) => path.Length == 0 ? Snake(camelName) : $"{path}.{Snake(camelName)}";

    /// <summary>A credential file's text, laid out as Google's console writes it.</summary>
    public static string File(JsonObject content) => content.ToJsonString(FileOptions) + "\n";
}
