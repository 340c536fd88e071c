using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmGate.Testing;

/// <summary>
/// Cohere's checks of a v2 chat request, as strict as its API: only the fields of its schema (at the top, in messages,
/// tools and tool calls), the four roles with the content each may hold, a tool result only for a call an earlier
/// assistant message made, Cohere's value ranges and its two <c>tool_choice</c> words. Returns Cohere's message for the
/// first thing wrong, or null.
/// </summary>
internal static class CohereRequestCheck
{
    private static readonly HashSet<string> Fields =
    [
        "stream", "model", "messages", "tools", "strict_tools", "documents", "citation_options", "response_format", "safety_mode",
        "max_tokens", "stop_sequences", "temperature", "seed", "frequency_penalty", "presence_penalty", "k", "p", "logprobs",
        "tool_choice", "thinking", "priority",
    ];

    private static readonly Dictionary<string, HashSet<string>> MessageFields = new()
    {
        ["system"] = ["role", "content"],
        ["user"] = ["role", "content"],
        ["assistant"] = ["role", "content", "tool_calls", "tool_plan", "citations"],
        ["tool"] = ["role", "tool_call_id", "content"],
    };

    // The content part types each role may send.
    private static readonly Dictionary<string, HashSet<string>> PartTypes = new()
    {
        ["system"] = ["text"],
        ["user"] = ["text", "image_url"],
        ["assistant"] = ["text", "thinking"],
        ["tool"] = ["text", "document"],
    };

    public static string? Check(JsonObject request)
    {
        if (request.Select(p => p.Key).FirstOrDefault(k => !Fields.Contains(k)) is { } unknown)
        {
            return $"invalid request: unknown field \"{unknown}\"";
        }

        if (Text(request["model"]) is not { Length: > 0 })
        {
            return "invalid request: model must be a non-empty string";
        }

        if (request["stream"] is { } stream && stream.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            return "invalid request: stream must be a boolean";
        }

        return Messages(request["messages"]) ?? Tools(request) ?? Sampling(request) ?? ResponseFormat(request["response_format"]);
    }

    public static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string? Messages(JsonNode? node)
    {
        if (node is not JsonArray { Count: > 0 } messages)
        {
            return "invalid request: messages must be a non-empty list";
        }

        var callIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < messages.Count; i++)
        {
            var path = $"messages[{i}]";
            if (messages[i] is not JsonObject message)
            {
                return $"invalid request: {path} must be an object";
            }

            var role = Text(message["role"]);
            if (role is null || !MessageFields.TryGetValue(role, out var fields))
            {
                return $"invalid request: {path}.role must be one of 'user', 'assistant', 'system', 'tool' (got {message["role"]?.ToJsonString() ?? "none"})";
            }

            if (message.Select(p => p.Key).FirstOrDefault(k => !fields.Contains(k)) is { } unknown)
            {
                return $"invalid request: unknown field \"{unknown}\" in {role} message {path}";
            }

            var problem = Content(message["content"], role, path, required: role != "assistant") ?? role switch
            {
                "assistant" => ToolCalls(message, path, callIds),
                "tool" => Text(message["tool_call_id"]) is not { } id
                    ? $"invalid request: {path}.tool_call_id is required"
                    : callIds.Contains(id) ? null : $"invalid request: {path}.tool_call_id '{id}' does not match any tool call of an earlier assistant message",
                _ => null,
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? Content(JsonNode? content, string role, string path, bool required)
    {
        switch (content)
        {
            case null:
                return required ? $"invalid request: {path}.content is required" : null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return null;
            case JsonArray parts:
                for (var j = 0; j < parts.Count; j++)
                {
                    var partPath = $"{path}.content[{j}]";
                    var type = Text(parts[j]?["type"]);
                    if (parts[j] is not JsonObject part || type is null || !PartTypes[role].Contains(type))
                    {
                        return $"invalid request: {partPath}: a {role} message takes content parts of type {string.Join(", ", PartTypes[role])} (got {parts[j]?.ToJsonString() ?? "null"})";
                    }

                    var valid = type switch
                    {
                        "text" => part.Count == 2 && Text(part["text"]) is not null,
                        "thinking" => part.Count == 2 && Text(part["thinking"]) is not null,
                        "image_url" => part.Count == 2 && part["image_url"] is JsonObject image && Text(image["url"]) is { Length: > 0 }
                            && image.All(p => p.Key is "url" or "detail") && (image["detail"] is null || Text(image["detail"]) is "auto" or "low" or "high"),
                        _ => part.Count == 2 && part["document"] is JsonObject,
                    };
                    if (!valid)
                    {
                        return $"invalid request: {partPath} is not a valid {type} content part: {part.ToJsonString()}";
                    }
                }

                return null;
            default:
                return $"invalid request: {path}.content must be a string or a list of content parts";
        }
    }

    private static string? ToolCalls(JsonObject message, string path, HashSet<string> callIds)
    {
        if (message["tool_calls"] is null)
        {
            return message["content"] is null ? $"invalid request: {path} needs content or tool_calls" : null;
        }

        if (message["tool_calls"] is not JsonArray calls)
        {
            return $"invalid request: {path}.tool_calls must be a list";
        }

        for (var k = 0; k < calls.Count; k++)
        {
            var callPath = $"{path}.tool_calls[{k}]";
            if (calls[k] is not JsonObject call || call.Any(p => p.Key is not ("id" or "type" or "function"))
                || Text(call["id"]) is not { Length: > 0 } id || Text(call["type"]) != "function"
                || call["function"] is not JsonObject function || function.Any(p => p.Key is not ("name" or "arguments"))
                || Text(function["name"]) is not { Length: > 0 } || Text(function["arguments"]) is not { } arguments)
            {
                return $"invalid request: {callPath} must be {{\"id\", \"type\": \"function\", \"function\": {{\"name\", \"arguments\"}}}} (got {calls[k]?.ToJsonString() ?? "null"})";
            }

            try
            {
                if (JsonNode.Parse(arguments) is not JsonObject)
                {
                    return $"invalid request: {callPath}.function.arguments must be a JSON object";
                }
            }
            catch (JsonException)
            {
                return $"invalid request: {callPath}.function.arguments is not valid JSON";
            }

            callIds.Add(id);
        }

        return null;
    }

    private static string? Tools(JsonObject request)
    {
        if (request["tools"] is { } node)
        {
            if (node is not JsonArray tools)
            {
                return "invalid request: tools must be a list";
            }

            for (var i = 0; i < tools.Count; i++)
            {
                if (tools[i] is not JsonObject tool || tool.Any(p => p.Key is not ("type" or "function")) || Text(tool["type"]) != "function"
                    || tool["function"] is not JsonObject function || function.Any(p => p.Key is not ("name" or "description" or "parameters"))
                    || Text(function["name"]) is not { Length: > 0 } || function["parameters"] is not JsonObject)
                {
                    return $"invalid request: tools[{i}] must be {{\"type\": \"function\", \"function\": {{\"name\", \"description\"?, \"parameters\"}}}} (got {tools[i]?.ToJsonString() ?? "null"})";
                }
            }
        }

        if (request["tool_choice"] is { } choice && Text(choice) is not ("REQUIRED" or "NONE"))
        {
            return $"invalid request: tool_choice must be one of REQUIRED, NONE (got {choice.ToJsonString()})";
        }

        return request["strict_tools"] is { } strict && strict.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)
            ? "invalid request: strict_tools must be a boolean"
            : null;
    }

    private static string? Sampling(JsonObject request)
    {
        if (request["max_tokens"] is { } maxTokens && !(IsInteger(maxTokens) && maxTokens.GetValue<long>() > 0))
        {
            return "invalid request: max_tokens must be a positive integer";
        }

        if (request["temperature"] is { } temperature && !(Number(temperature) is >= 0.0))
        {
            return "invalid request: temperature must be a non-negative number";
        }

        if (request["p"] is { } p && !(Number(p) is >= 0.01 and <= 0.99))
        {
            return $"invalid request: p must be between 0.01 and 0.99, inclusive (got {p.ToJsonString()})";
        }

        if (request["k"] is { } k && !(IsInteger(k) && k.GetValue<long>() is >= 0 and <= 500))
        {
            return $"invalid request: k must be an integer between 0 and 500, inclusive (got {k.ToJsonString()})";
        }

        if (request["seed"] is { } seed && !(IsInteger(seed) && seed.GetValue<long>() >= 0))
        {
            return "invalid request: seed must be a non-negative integer";
        }

        foreach (var penalty in (ReadOnlySpan<string>)["frequency_penalty", "presence_penalty"])
        {
            if (request[penalty] is { } value && Number(value) is null)
            {
                return $"invalid request: {penalty} must be a number";
            }
        }

        if (request["stop_sequences"] is { } stops && !(stops is JsonArray { Count: <= 5 } list && list.All(s => Text(s) is not null)))
        {
            return "invalid request: stop_sequences must be a list of at most 5 strings";
        }

        return null;
    }

    private static string? ResponseFormat(JsonNode? node) => node switch
    {
        null => null,
        JsonObject format when Text(format["type"]) == "text" && format.Count == 1 => null,
        JsonObject format when Text(format["type"]) == "json_object" && format.All(p => p.Key is "type" or "json_schema") && format["json_schema"] is null or JsonObject => null,
        _ => $"invalid request: response_format must be {{\"type\": \"text\"}} or {{\"type\": \"json_object\", \"json_schema\"?: {{…}}}} (got {node.ToJsonString()})",
    };

    private static bool IsInteger(JsonNode node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out _);

    private static double? Number(JsonNode node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<double>(out var number) ? number : null;
}
