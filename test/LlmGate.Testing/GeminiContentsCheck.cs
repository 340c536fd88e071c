using System.Text.Json.Nodes;

namespace LlmGate.Testing;

/// <summary>
/// Gemini's <c>contents</c> and <c>systemInstruction</c> as Google checks them: each turn has a role (<c>user</c> or
/// <c>model</c>) and parts; each part holds exactly one kind of data (text, inline data that decodes, a file, a function
/// call or response); a function call comes in a model turn right after a user turn, and the user turn right after it
/// answers each of its calls by name.
/// </summary>
internal static class GeminiContentsCheck
{
    private static readonly HashSet<string> ContentFields = ["role", "parts"];

    private static readonly HashSet<string> DataFields =
        ["text", "inlineData", "fileData", "functionCall", "functionResponse", "executableCode", "codeExecutionResult"];

    private static readonly HashSet<string> PartFields = [.. DataFields, "thought", "thoughtSignature", "videoMetadata"];

    private static readonly HashSet<string> InlineDataFields = ["mimeType", "data"];

    private static readonly HashSet<string> FileDataFields = ["mimeType", "fileUri", "displayName"];

    private static readonly HashSet<string> FunctionCallFields = ["id", "name", "args"];

    private static readonly HashSet<string> FunctionResponseFields = ["id", "name", "response", "willContinue", "scheduling", "parts"];

    /// <summary>What is wrong with the request's <c>contents</c>, or null.</summary>
    public static string? CheckContents(JsonObject request)
    {
        if (GoogleJson.Get(request, "contents") is not JsonArray { Count: > 0 } contents)
        {
            return GoogleJson.Get(request, "contents") is null or JsonArray
                ? "* GenerateContentRequest.contents: contents is not specified"
                : GoogleJson.InvalidValue("contents", "type.googleapis.com/google.ai.generativelanguage.v1beta.Content", GoogleJson.Get(request, "contents"));
        }

        for (var i = 0; i < contents.Count; i++)
        {
            var path = $"contents[{i}]";
            if ((GoogleJson.Message(contents[i], ContentFields, path, "Content", out var content) ?? CheckParts(content, path)) is { } invalid)
            {
                return invalid;
            }

            if (GoogleJson.StringOf(content["role"]) is not ("user" or "model"))
            {
                return $"* GenerateContentRequest.{path}.role: Please use a valid role: user, model.";
            }
        }

        return CheckFunctionTurns(contents);
    }

    /// <summary>What is wrong with <c>systemInstruction</c> (text parts only), or null.</summary>
    public static string? CheckSystemInstruction(JsonObject request)
    {
        if (GoogleJson.Get(request, "systemInstruction") is not { } node)
        {
            return null;
        }

        if ((GoogleJson.Message(node, ContentFields, "system_instruction", "Content", out var instruction) ?? CheckParts(instruction, "system_instruction")) is { } invalid)
        {
            return invalid;
        }

        var parts = instruction["parts"]!.AsArray();
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i]!["text"] is null)
            {
                return $"* GenerateContentRequest.system_instruction.parts[{i}]: only text parts are allowed in a system instruction";
            }
        }

        return null;
    }

    /// <summary>The text of every text part of a turn, in order (thoughts left out).</summary>
    public static IEnumerable<string> Texts(JsonObject? content) =>
        (content?["parts"] as JsonArray ?? []).Where(p => p?["thought"]?.GetValue<bool>() != true)
            .Select(p => GoogleJson.StringOf(p?["text"])).OfType<string>();

    private static string? CheckParts(JsonObject content, string path)
    {
        if (content["parts"] is not JsonArray { Count: > 0 } parts)
        {
            return content["parts"] is null or JsonArray
                ? $"* GenerateContentRequest.{path}.parts: contents.parts must not be empty."
                : GoogleJson.InvalidValue(path + ".parts", "type.googleapis.com/google.ai.generativelanguage.v1beta.Part", content["parts"]);
        }

        for (var j = 0; j < parts.Count; j++)
        {
            if (CheckPart(parts[j], $"{path}.parts[{j}]") is { } invalid)
            {
                return invalid;
            }
        }

        return null;
    }

    private static string? CheckPart(JsonNode? node, string path)
    {
        if (GoogleJson.Message(node, PartFields, path, "Part", out var part) is { } invalidPart)
        {
            return invalidPart;
        }

        var kinds = part.Select(p => GoogleJson.Camel(p.Key)).Where(DataFields.Contains).ToList();
        if (kinds.Count == 0)
        {
            return $"* GenerateContentRequest.{path}.data: required oneof field 'data' must have one initialized field";
        }

        if (kinds.Count > 1)
        {
            return $"Invalid JSON payload received. Oneof field 'data' is already set. Cannot set '{GoogleJson.Join(path, kinds[1])}'";
        }

        if (part["thought"] is { } thought && !GoogleJson.IsBoolean(thought))
        {
            return GoogleJson.InvalidValue(path + ".thought", "TYPE_BOOL", thought);
        }

        var data = GoogleJson.Get(part, kinds[0]);
        var dataPath = GoogleJson.Join(path, kinds[0]);
        return kinds[0] switch
        {
            "text" => GoogleJson.StringOf(data) is null ? GoogleJson.InvalidValue(dataPath, "TYPE_STRING", data) : null,
            "inlineData" => CheckInlineData(data, dataPath),
            "fileData" => CheckFields(data, FileDataFields, dataPath, "FileData", "mimeType", "fileUri"),
            "functionCall" => CheckFields(data, FunctionCallFields, dataPath, "FunctionCall", "name") ?? CheckObject(data!, "args", dataPath, required: false),
            "functionResponse" => CheckFields(data, FunctionResponseFields, dataPath, "FunctionResponse", "name") ?? CheckObject(data!, "response", dataPath, required: true),
            _ => data is JsonObject ? null : GoogleJson.InvalidValue(dataPath, "object", data),
        };
    }

    private static string? CheckInlineData(JsonNode? node, string path)
    {
        if (CheckFields(node, InlineDataFields, path, "Blob", "mimeType", "data") is { } invalid)
        {
            return invalid;
        }

        var data = GoogleJson.StringOf(GoogleJson.Get(node!.AsObject(), "data"))!;
        var standard = data.Replace('-', '+').Replace('_', '/');
        standard += new string('=', (4 - (standard.Length % 4)) % 4);
        return Convert.TryFromBase64String(standard, new byte[standard.Length], out _)
            ? null
            : $"Invalid value at '{path}.data' (TYPE_BYTES), Base64 decoding failed for \"{(data.Length > 20 ? data[..20] + "…" : data)}\"";
    }

    // An object with only known fields and these string fields set and not empty.
    private static string? CheckFields(JsonNode? node, HashSet<string> fields, string path, string messageType, params string[] required)
    {
        if (GoogleJson.Message(node, fields, path, messageType, out var obj) is { } invalid)
        {
            return invalid;
        }

        foreach (var name in required)
        {
            if (GoogleJson.StringOf(GoogleJson.Get(obj, name)) is not { Length: > 0 })
            {
                return GoogleJson.Get(obj, name) is null or JsonValue
                    ? $"* GenerateContentRequest.{GoogleJson.Join(path, name)}: a non-empty {GoogleJson.Snake(name)} is required"
                    : GoogleJson.InvalidValue(GoogleJson.Join(path, name), "TYPE_STRING", GoogleJson.Get(obj, name));
            }
        }

        return null;
    }

    private static string? CheckObject(JsonNode parent, string name, string path, bool required)
    {
        var value = GoogleJson.Get(parent.AsObject(), name);
        return value switch
        {
            JsonObject => null,
            null when !required => null,
            null => $"* GenerateContentRequest.{GoogleJson.Join(path, name)}: {name} is required",
            _ => GoogleJson.InvalidValue(GoogleJson.Join(path, name), "type.googleapis.com/google.protobuf.Struct", value),
        };
    }

    // Gemini's turn rules for function calling, in its own words where it has them.
    private static string? CheckFunctionTurns(JsonArray contents)
    {
        for (var i = 0; i < contents.Count; i++)
        {
            var role = contents[i]!["role"]!.GetValue<string>();
            var calls = Named(contents[i], "functionCall");
            var responses = Named(contents[i], "functionResponse");
            if (role == "user" && calls.Count > 0)
            {
                return $"* GenerateContentRequest.contents[{i}]: a function call can only be in a model turn";
            }

            if (role == "model" && responses.Count > 0)
            {
                return $"* GenerateContentRequest.contents[{i}]: a function response can only be in a user turn";
            }

            if (calls.Count > 0 && (i == 0 || contents[i - 1]!["role"]!.GetValue<string>() != "user"))
            {
                return "Please ensure that function call turn comes immediately after a user turn or after a function response turn.";
            }

            if (responses.Count == 0)
            {
                continue;
            }

            var asked = i > 0 ? Named(contents[i - 1], "functionCall") : [];
            if (asked.Count == 0)
            {
                return "Please ensure that function response turn comes immediately after a function call turn.";
            }

            if (responses.Count != asked.Count)
            {
                return "Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.";
            }

            if (responses.FirstOrDefault(name => !asked.Contains(name)) is { } unasked)
            {
                return $"* GenerateContentRequest.contents[{i}]: the function response \"{unasked}\" answers no function call of the model turn before it (calls: {string.Join(", ", asked)})";
            }
        }

        return null;
    }

    // The names of the parts of this kind (functionCall or functionResponse) in a turn.
    private static List<string> Named(JsonNode? content, string kind) =>
        [.. (content?["parts"] as JsonArray ?? []).Select(p => GoogleJson.StringOf(GoogleJson.Get(p as JsonObject, kind)?["name"])).OfType<string>()];
}
