using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LlmGate.Testing;

/// <summary>
/// Checks a Converse (or ConverseStream) body as Bedrock does, from the shapes of the botocore model: only the known
/// top-level keys; messages that start with a user turn and alternate user/assistant; content as arrays of blocks, each
/// with exactly one known member; images in a known format with base64 bytes; tool names and tool-use ids of the allowed
/// patterns; every <c>toolResult</c> answering a <c>toolUse</c> of the assistant turn before it, and every such
/// <c>toolUse</c> answered; <c>toolConfig</c> present when tool blocks are; <c>inferenceConfig</c> and <c>toolChoice</c>
/// of their known members. Empty <c>system: []</c> and <c>additionalModelRequestFields: {}</c> are fine. The words are
/// Bedrock's where known (its conversation rules, its coral <c>1 validation error detected</c> form).
/// </summary>
internal static partial class ConverseRequestCheck
{
    private static readonly HashSet<string> TopLevel =
    [
        "messages", "system", "inferenceConfig", "toolConfig", "guardrailConfig", "additionalModelRequestFields",
        "additionalModelResponseFieldPaths", "promptVariables", "requestMetadata", "performanceConfig", "serviceTier", "outputConfig",
    ];

    private static readonly string[] ContentMembers =
    [
        "text", "image", "document", "video", "audio", "toolUse", "toolResult", "guardContent", "cachePoint", "reasoningContent",
        "citationsContent", "searchResult",
    ];

    private static readonly string[] SystemMembers = ["text", "guardContent", "cachePoint"];

    private static readonly string[] ToolResultMembers = ["text", "json", "image", "document", "video", "searchResult"];

    private static readonly string[] ImageFormats = ["png", "jpeg", "gif", "webp"];

    private static readonly string[] DocumentFormats = ["pdf", "csv", "doc", "docx", "xls", "xlsx", "html", "txt", "md"];

    private static readonly HashSet<string> InferenceKeys = ["maxTokens", "temperature", "topP", "stopSequences"];

    /// <summary>Bedrock's message for the first thing wrong with the body, or null when Bedrock would take it.</summary>
    public static string? Check(JsonObject request)
    {
        if (request.Select(p => p.Key).FirstOrDefault(k => !TopLevel.Contains(k)) is { } unknown)
        {
            return $"Malformed input request: extraneous key [{unknown}] is not permitted, please reformat your input and try again.";
        }

        return (request["toolConfig"] is { } toolConfig ? CheckToolConfig(toolConfig) : null)
            ?? CheckSystem(request["system"])
            ?? CheckInference(request["inferenceConfig"])
            ?? CheckObject(request, "additionalModelRequestFields")
            ?? CheckMessages(request["messages"], request["toolConfig"] is not null);
    }

    private static string? CheckObject(JsonObject request, string key) =>
        request[key] is null or JsonObject ? null : $"{key} must be an object (got {request[key]!.ToJsonString()})";

    private static string? CheckMessages(JsonNode? node, bool hasToolConfig)
    {
        const string StartWithUser = "A conversation must start with a user message. Try again with a conversation that starts with a user message.";
        if (node is not JsonArray { Count: > 0 } messages)
        {
            return StartWithUser;
        }

        HashSet<string> asked = [];
        for (var i = 0; i < messages.Count; i++)
        {
            if (CheckMessage(messages[i], i, hasToolConfig) is { } invalid)
            {
                return invalid;
            }

            if (i == 0 && StringOf(messages[0]!["role"]) != "user")
            {
                return StartWithUser;
            }

            if (i > 0 && StringOf(messages[i]!["role"]) == StringOf(messages[i - 1]!["role"]))
            {
                return "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.";
            }

            var blocks = messages[i]!["content"]!.AsArray();
            if (StringOf(messages[i]!["role"]) == "assistant")
            {
                asked = [.. blocks.Select(b => StringOf(b?["toolUse"]?["toolUseId"])).OfType<string>()];
                continue;
            }

            HashSet<string> answered = [.. blocks.Select(b => StringOf(b?["toolResult"]?["toolUseId"])).OfType<string>()];
            if (answered.Count > asked.Count)
            {
                return $"The number of toolResult blocks at messages.{i}.content exceeds the number of toolUse blocks of previous turn.";
            }

            if (answered.Except(asked).FirstOrDefault() is { } stray)
            {
                return $"The toolResult block at messages.{i}.content with toolUseId {stray} does not answer a toolUse block of the previous turn.";
            }

            if (asked.Except(answered).ToList() is { Count: > 0 } unanswered)
            {
                return $"Expected toolResult blocks at messages.{i}.content for the following Ids: {string.Join(", ", unanswered)}";
            }

            asked = [];
        }

        return null;
    }

    // One message: its keys, its role, and each of its blocks.
    private static string? CheckMessage(JsonNode? node, int i, bool hasToolConfig)
    {
        if (node is not JsonObject message || message.Any(p => p.Key is not ("role" or "content")))
        {
            return $"messages.{i} must be an object with role and content (got {node?.ToJsonString() ?? "null"})";
        }

        var role = StringOf(message["role"]);
        if (role is not ("user" or "assistant"))
        {
            return Constraint(message["role"]?.ToString() ?? "null", $"messages.{i + 1}.member.role", "Member must satisfy enum value set: [user, assistant]");
        }

        if (message["content"] is not JsonArray blocks)
        {
            return Constraint(message["content"]?.ToJsonString() ?? "null", $"messages.{i + 1}.member.content", "Member must not be null and must be a list of content blocks");
        }

        if (blocks.Count == 0)
        {
            return $"The content field in the Message object at messages.{i} is empty. Add a ContentBlock object to the content field and try again.";
        }

        for (var j = 0; j < blocks.Count; j++)
        {
            if (CheckBlock(blocks[j], $"messages.{i}.content.{j}", role, hasToolConfig) is { } invalid)
            {
                return invalid;
            }
        }

        return null;
    }

    private static string? CheckBlock(JsonNode? node, string path, string role, bool hasToolConfig)
    {
        if (OneMember(node, ContentMembers, path, "ContentBlock") is { } invalid)
        {
            return invalid;
        }

        var (member, value) = node!.AsObject().First();
        if (member is "toolUse" or "toolResult" && !hasToolConfig)
        {
            return "The toolConfig field must be defined when using toolUse and toolResult content blocks.";
        }

        return (member, role) switch
        {
            ("text", _) => CheckText(value, path, "ContentBlock"),
            ("image", _) => CheckImage(value, $"{path}.image"),
            ("document", _) => CheckDocument(value, $"{path}.document"),
            ("toolUse", "assistant") => CheckToolUse(value, $"{path}.toolUse"),
            ("toolResult", "user") => CheckToolResult(value, $"{path}.toolResult"),
            ("toolUse" or "toolResult", _) => $"The {member} block at {path} cannot be in a {role} turn: toolUse blocks are the assistant's, toolResult blocks the user's.",
            ("cachePoint", _) => value is JsonObject { Count: 1 } point && StringOf(point["type"]) == "default" ? null : $"{path}.cachePoint must be {{\"type\":\"default\"}}",
            _ => value is JsonObject ? null : $"{path}.{member} must be an object",
        };
    }

    private static string? OneMember(JsonNode? node, string[] members, string path, string shape)
    {
        if (node is not JsonObject block || block.Count != 1 || !members.Contains(block.First().Key))
        {
            var keys = node is JsonObject o ? string.Join(", ", o.Select(p => p.Key)) : node?.ToJsonString() ?? "null";
            return $"The {shape} at {path} must set exactly one of [{string.Join(", ", members)}] (got {keys}).";
        }

        return null;
    }

    private static string? CheckText(JsonNode? value, string path, string shape) =>
        StringOf(value) is not { } text ? $"{path}.text must be a string"
        : string.IsNullOrWhiteSpace(text) ? $"The text field in the {shape} object at {path} is blank. Add text to the text field, and try again."
        : null;

    private static string? CheckImage(JsonNode? value, string path)
    {
        if (value is not JsonObject image || image.Any(p => p.Key is not ("format" or "source")))
        {
            return $"{path} must be {{\"format\",\"source\"}} (got {value?.ToJsonString()})";
        }

        if (!ImageFormats.Contains(StringOf(image["format"])))
        {
            return Constraint(image["format"]?.ToString() ?? "null", $"{path}.format", "Member must satisfy enum value set: [png, jpeg, gif, webp]");
        }

        if (image["source"] is not JsonObject { Count: 1 } source || StringOf(source["bytes"]) is not { } bytes)
        {
            return $"{path}.source must be {{\"bytes\": <base64>}} (got {image["source"]?.ToJsonString()})";
        }

        var buffer = new byte[bytes.Length];
        return bytes.Length > 0 && Convert.TryFromBase64String(bytes, buffer, out _) ? null : $"{path}.source.bytes is not valid base64";
    }

    private static string? CheckDocument(JsonNode? value, string path) =>
        value is JsonObject document && DocumentFormats.Contains(StringOf(document["format"])) && StringOf(document["name"]) is { Length: > 0 }
            && document["source"] is JsonObject && document.All(p => p.Key is "format" or "name" or "source" or "context" or "citations")
            ? null
            : $"{path} must be {{\"format\": one of [{string.Join(", ", DocumentFormats)}], \"name\", \"source\"}} (got {value?.ToJsonString()})";

    private static string? CheckToolUse(JsonNode? value, string path)
    {
        if (value is not JsonObject use || use.Any(p => p.Key is not ("toolUseId" or "name" or "input" or "type")))
        {
            return $"{path} must be {{\"toolUseId\",\"name\",\"input\"}} (got {value?.ToJsonString()})";
        }

        return CheckId(use["toolUseId"], $"{path}.toolUseId")
            ?? CheckName(use["name"], $"{path}.name")
            ?? (use["input"] is JsonObject ? null : $"{path}.input must be a JSON object (got {use["input"]?.ToJsonString() ?? "nothing"})");
    }

    private static string? CheckToolResult(JsonNode? value, string path)
    {
        if (value is not JsonObject result || result.Any(p => p.Key is not ("toolUseId" or "content" or "status" or "type")))
        {
            return $"{path} must be {{\"toolUseId\",\"content\",\"status\"?}} (got {value?.ToJsonString()})";
        }

        if (CheckId(result["toolUseId"], $"{path}.toolUseId") is { } invalid)
        {
            return invalid;
        }

        if (result["status"] is { } status && StringOf(status) is not ("success" or "error"))
        {
            return Constraint(status.ToString(), $"{path}.status", "Member must satisfy enum value set: [success, error]");
        }

        if (result["content"] is not JsonArray content)
        {
            return $"{path}.content must be a list of blocks";
        }

        for (var k = 0; k < content.Count; k++)
        {
            var inner = $"{path}.content.{k}";
            var error = OneMember(content[k], ToolResultMembers, inner, "ToolResultContentBlock") ?? content[k]!.AsObject().First() switch
            {
                ("text", var text) => CheckText(text, inner, "ToolResultContentBlock"),
                ("image", var image) => CheckImage(image, $"{inner}.image"),
                _ => null,
            };
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static string? CheckSystem(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonArray blocks)
        {
            return $"system must be a list of blocks (got {node.ToJsonString()})";
        }

        for (var i = 0; i < blocks.Count; i++)
        {
            var error = OneMember(blocks[i], SystemMembers, $"system.{i}", "SystemContentBlock")
                ?? (blocks[i]!["text"] is { } text ? CheckText(text, $"system.{i}", "SystemContentBlock") : null);
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static string? CheckInference(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject config || config.Any(p => !InferenceKeys.Contains(p.Key)))
        {
            return $"inferenceConfig takes only maxTokens, temperature, topP and stopSequences (got {node.ToJsonString()})";
        }

        if (config["maxTokens"] is { } maxTokens && !(maxTokens is JsonValue m && m.TryGetValue<int>(out var tokens) && tokens >= 1))
        {
            return Constraint(maxTokens.ToJsonString(), "inferenceConfig.maxTokens", "Member must have value greater than or equal to 1");
        }

        foreach (var key in new[] { "temperature", "topP" })
        {
            if (config[key] is { } number && !(number is JsonValue v && v.TryGetValue<double>(out var x) && x is >= 0 and <= 1))
            {
                return Constraint(number.ToJsonString(), $"inferenceConfig.{key}", "Member must have value less than or equal to 1 and greater than or equal to 0");
            }
        }

        if (config["stopSequences"] is { } stops)
        {
            if (stops is not JsonArray list || list.Any(s => StringOf(s) is null))
            {
                return $"inferenceConfig.stopSequences must be a list of strings (got {stops.ToJsonString()})";
            }

            if (list.Select((s, i) => (Text: StringOf(s)!, Index: i)).FirstOrDefault(s => s.Text.Length == 0) is { Text: "" } empty)
            {
                return Constraint("", $"inferenceConfig.stopSequences.{empty.Index + 1}.member", "Member must have length greater than or equal to 1");
            }
        }

        return null;
    }

    // toolConfig: {tools: [{toolSpec: {name, description?, inputSchema: {json}}} | {cachePoint}], toolChoice?: {auto}|{any}|{tool: {name}}}.
    private static string? CheckToolConfig(JsonNode node)
    {
        if (node is not JsonObject config || config.Any(p => p.Key is not ("tools" or "toolChoice")) || config["tools"] is not JsonArray { Count: > 0 } tools)
        {
            return $"toolConfig must be {{\"tools\": [at least one tool], \"toolChoice\"?}} (got {node.ToJsonString()})";
        }

        HashSet<string> names = [];
        for (var i = 0; i < tools.Count; i++)
        {
            var path = $"toolConfig.tools.{i}";
            if (OneMember(tools[i], ["toolSpec", "cachePoint", "systemTool"], path, "Tool") is { } invalid)
            {
                return invalid;
            }

            if (tools[i]!["toolSpec"] is not { } spec)
            {
                continue;
            }

            if (spec is not JsonObject toolSpec || toolSpec.Any(p => p.Key is not ("name" or "description" or "inputSchema" or "strict"))
                || toolSpec["inputSchema"] is not JsonObject { Count: 1 } schema || schema["json"] is not JsonObject)
            {
                return $"{path}.toolSpec must be {{\"name\", \"description\"?, \"inputSchema\": {{\"json\": {{…}}}}}} (got {spec.ToJsonString()})";
            }

            if (CheckName(toolSpec["name"], $"toolConfig.tools.{i + 1}.member.toolSpec.name") is { } badName)
            {
                return badName;
            }

            if (toolSpec["description"] is { } description && StringOf(description) is not { Length: > 0 })
            {
                return Constraint(description.ToJsonString(), $"toolConfig.tools.{i + 1}.member.toolSpec.description", "Member must have length greater than or equal to 1");
            }

            names.Add(StringOf(toolSpec["name"])!);
        }

        return CheckToolChoice(config["toolChoice"], names);
    }

    private static string? CheckToolChoice(JsonNode? node, HashSet<string> names)
    {
        if (node is null)
        {
            return null;
        }

        if (OneMember(node, ["auto", "any", "tool"], "toolConfig.toolChoice", "ToolChoice") is { } invalid)
        {
            return invalid;
        }

        return node.AsObject().First() switch
        {
            ("auto" or "any", JsonObject { Count: 0 }) => null,
            ("tool", JsonObject { Count: 1 } tool) when names.Contains(StringOf(tool["name"]) ?? "") => null,
            ("tool", var tool) => $"toolConfig.toolChoice.tool must name one of the tools [{string.Join(", ", names)}] (got {tool?.ToJsonString()})",
            (var choice, var value) => $"toolConfig.toolChoice.{choice} must be {{}} (got {value?.ToJsonString()})",
        };
    }

    private static string? CheckId(JsonNode? node, string path) =>
        StringOf(node) is { } id && ToolUseId().IsMatch(id)
            ? null
            : Constraint(node?.ToString() ?? "null", path, "Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+");

    private static string? CheckName(JsonNode? node, string path) =>
        StringOf(node) is { } name && ToolName().IsMatch(name)
            ? null
            : Constraint(node?.ToString() ?? "null", path, "Member must satisfy regular expression pattern: [a-zA-Z][a-zA-Z0-9_]*");

    // AWS's coral validation message.
    private static string Constraint(string value, string path, string constraint) =>
        $"1 validation error detected: Value '{value}' at '{path}' failed to satisfy constraint: {constraint}";

    private static string? StringOf(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex ToolUseId();

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9_]{0,63}$")]
    private static partial Regex ToolName();
}
