using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmGate.Testing;

/// <summary>
/// Workers AI's input checks for a text-generation model, as strict as its schema: only its fields, messages whose
/// content is a string (its messages carry no parts), the four roles, a tool result only for a call an earlier assistant
/// message made, tools with a name and a description. Returns Workers AI's "Bad input" message for the first thing
/// wrong, or null.
/// </summary>
internal static class CloudflareRequestCheck
{
    private static readonly HashSet<string> Fields =
    [
        "prompt", "raw", "stream", "max_tokens", "temperature", "top_p", "top_k", "seed", "repetition_penalty",
        "frequency_penalty", "presence_penalty", "messages", "response_format", "tools", "functions", "lora",
    ];

    private static readonly HashSet<string> MessageFields = ["role", "content", "name", "tool_call_id", "tool_calls"];

    public static string? Check(JsonObject request)
    {
        if (request.Select(p => p.Key).FirstOrDefault(k => !Fields.Contains(k)) is { } unknown)
        {
            return Bad($"additional property '{unknown}' at '/' is not allowed");
        }

        if (request["messages"] is not JsonArray { Count: > 0 } messages)
        {
            return Bad("required properties at '/' are 'messages' or 'prompt'");
        }

        var callIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < messages.Count; i++)
        {
            var path = $"/messages/{i}";
            if (messages[i] is not JsonObject message)
            {
                return Bad($"Type mismatch of '{path}', 'object' expected");
            }

            if (message.Select(p => p.Key).FirstOrDefault(k => !MessageFields.Contains(k)) is { } field)
            {
                return Bad($"additional property '{field}' at '{path}' is not allowed");
            }

            if (Text(message["role"]) is not ("system" or "user" or "assistant" or "tool"))
            {
                return Bad($"'{path}/role' must be one of system, user, assistant, tool");
            }

            if (message["content"] is not JsonValue content || content.GetValueKind() != JsonValueKind.String)
            {
                return Bad($"Type mismatch of '{path}/content', '{Kind(message["content"])}' not in 'string'");
            }

            if (message["tool_calls"] is { } calls && Calls(calls, path, callIds) is { } badCalls)
            {
                return badCalls;
            }

            if (Text(message["role"]) == "tool" && !(Text(message["tool_call_id"]) is { } id && callIds.Contains(id)))
            {
                return Bad($"'{path}/tool_call_id' ({message["tool_call_id"]?.ToJsonString() ?? "none"}) answers no tool call of an earlier assistant message");
            }
        }

        return Tools(request["tools"]) ?? Sampling(request) ?? ResponseFormat(request["response_format"]);
    }

    public static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string Bad(string problem) => "AiError: Bad input: Error: " + problem;

    private static string Kind(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        null or JsonValueKind.Null => "null",
        _ => "value",
    };

    private static string? Calls(JsonNode node, string path, HashSet<string> callIds)
    {
        if (node is not JsonArray calls)
        {
            return Bad($"Type mismatch of '{path}/tool_calls', 'array' expected");
        }

        for (var k = 0; k < calls.Count; k++)
        {
            if (calls[k] is not JsonObject call || Text(call["id"]) is not { Length: > 0 } id || Text(call["type"]) != "function"
                || Text(call["function"]?["name"]) is null || Text(call["function"]?["arguments"]) is null)
            {
                return Bad($"'{path}/tool_calls/{k}' must be {{id, type: function, function: {{name, arguments}}}}");
            }

            callIds.Add(id);
        }

        return null;
    }

    private static string? Tools(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonArray tools)
        {
            return Bad("Type mismatch of '/tools', 'array' expected");
        }

        for (var i = 0; i < tools.Count; i++)
        {
            // OpenAI's shape, or Workers AI's older one without the function wrapper.
            var function = tools[i]?["function"] as JsonObject ?? tools[i] as JsonObject;
            if (function is null || Text(function["name"]) is null || Text(function["description"]) is null
                || (function["parameters"] is { } parameters && parameters is not JsonObject)
                || function.Any(p => p.Key is not ("name" or "description" or "parameters" or "type" or "function")))
            {
                return Bad($"'/tools/{i}' must have a name, a description and optional parameters");
            }
        }

        return null;
    }

    private static string? Sampling(JsonObject request)
    {
        if (request["max_tokens"] is { } maxTokens && !(maxTokens is JsonValue value && value.TryGetValue<int>(out var count) && count >= 1))
        {
            return Bad("'/max_tokens' must be an integer of at least 1");
        }

        foreach (var name in (ReadOnlySpan<string>)["temperature", "top_p", "top_k", "seed", "repetition_penalty", "frequency_penalty", "presence_penalty"])
        {
            if (request[name] is { } number && number.GetValueKind() != JsonValueKind.Number)
            {
                return Bad($"Type mismatch of '/{name}', '{Kind(number)}' not in 'number'");
            }
        }

        return request["stream"] is { } stream && stream.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)
            ? Bad("Type mismatch of '/stream', 'boolean' expected")
            : null;
    }

    private static string? ResponseFormat(JsonNode? node) => node switch
    {
        null => null,
        JsonObject format when Text(format["type"]) is "json_object" or "json_schema" && format.All(p => p.Key is "type" or "json_schema") => null,
        _ => Bad("'/response_format' must be {type: json_object | json_schema, json_schema?}"),
    };
}
