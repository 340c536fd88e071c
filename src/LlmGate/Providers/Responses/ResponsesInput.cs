using System.Text.Json;
using System.Text.Json.Nodes;
using static LlmGate.Providers.OpenAiChatRequest;

namespace LlmGate.Providers.Responses;

/// <summary>
/// A Responses request's <c>instructions</c> and <c>input</c> (a string, or a list of items) as chat messages. Errors
/// name the item, as OpenAI's <c>param</c> does (<c>input[2].content[0]</c>).
/// </summary>
internal static class ResponsesInput
{
    private const string Bridge = "a deployment bridged onto chat completions";

    public static JsonArray ToMessages(string? instructions, JsonNode? input)
    {
        var messages = new JsonArray();
        if (instructions is not null)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = instructions });
        }

        switch (input)
        {
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                messages.Add(new JsonObject { ["role"] = "user", ["content"] = value.GetValue<string>() });
                break;
            case JsonArray items:
                for (var i = 0; i < items.Count; i++)
                {
                    Item(items[i] as JsonObject ?? throw new ProviderRequestException($"'input[{i}]' must be an object.", $"input[{i}]"), $"input[{i}]", messages);
                }

                break;
            case null when messages.Count > 0:
                break;
            default:
                throw new ProviderRequestException("'input' must be a string or a list of input items.", "input");
        }

        if (messages.Count == 0)
        {
            throw new ProviderRequestException("'input' must not be empty.", "input");
        }

        return messages;
    }

    private static void Item(JsonObject item, string path, JsonArray messages)
    {
        // An "easy input message" ({role, content}) has no type.
        var type = Text(item["type"]) ?? (item["role"] is not null ? "message" : null);
        switch (type)
        {
            case "message":
                messages.Add(Message(item, path));
                break;
            case "function_call":
                ToolCall(item, path, messages);
                break;
            case "function_call_output":
                messages.Add(new JsonObject
                {
                    ["role"] = "tool",
                    ["tool_call_id"] = Required(item, "call_id", path),
                    ["content"] = item["output"] is JsonArray parts ? Content(parts, path + ".output") : Text(item["output"]) ?? "",
                });
                break;
            case "reasoning":
                // A reasoning model's earlier thoughts: chat has no place for them, and providers do not need them back.
                break;
            case "item_reference":
                throw new ProviderRequestException(
                    $"'{path}' is an item_reference, which needs a deployment that stores responses (OpenAI, Azure); send the item itself instead.",
                    path);
            default:
                throw new ProviderRequestException($"Input item type '{type}' of '{path}' is not supported by {Bridge}.", path + ".type");
        }
    }

    private static JsonObject Message(JsonObject item, string path)
    {
        var role = Text(item["role"]) switch
        {
            "user" => "user",
            "assistant" => "assistant",
            "system" or "developer" => "system",
            var other => throw new ProviderRequestException($"Role '{other}' of '{path}' is not supported.", path + ".role"),
        };
        JsonNode content = item["content"] switch
        {
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
            JsonArray parts => Content(parts, path + ".content"),
            _ => throw new ProviderRequestException($"'{path}.content' must be a string or a list of content parts.", path + ".content"),
        };
        return new JsonObject { ["role"] = role, ["content"] = content };
    }

    // Consecutive function calls are one assistant turn in chat, as is the text the model wrote just before them.
    private static void ToolCall(JsonObject item, string path, JsonArray messages)
    {
        var call = new JsonObject
        {
            ["id"] = Required(item, "call_id", path),
            ["type"] = "function",
            ["function"] = new JsonObject
            {
                ["name"] = Required(item, "name", path),
                ["arguments"] = Text(item["arguments"]) ?? "{}",
            },
        };
        if (messages.Count > 0 && messages[^1] is JsonObject last && Text(last["role"]) == "assistant")
        {
            if (last["tool_calls"] is not JsonArray calls)
            {
                last["tool_calls"] = calls = [];
            }

            calls.Add(call);
            return;
        }

        messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = new JsonArray(call) });
    }

    /// <summary>Content parts as chat's; a lone text part as a plain string, which every chat provider takes.</summary>
    private static JsonNode Content(JsonArray parts, string path)
    {
        var translated = new JsonArray();
        for (var j = 0; j < parts.Count; j++)
        {
            var partPath = $"{path}[{j}]";
            var part = parts[j] as JsonObject ?? throw new ProviderRequestException($"'{partPath}' must be an object.", partPath);
            translated.Add(Part(part, partPath));
        }

        return translated.Count == 1 && translated[0]!["type"]!.GetValue<string>() == "text" ? translated[0]!["text"]!.DeepClone() : translated;
    }

    private static JsonObject Part(JsonObject part, string path)
    {
        switch (Text(part["type"]))
        {
            case "input_text" or "output_text" or "text":
                return new JsonObject { ["type"] = "text", ["text"] = Text(part["text"]) ?? "" };
            case "refusal":
                // An earlier refusal the client sends back: the model said it, so the conversation keeps it as text.
                return new JsonObject { ["type"] = "text", ["text"] = Text(part["refusal"]) ?? "" };
            case "input_image":
                if (Text(part["image_url"]) is not { } url)
                {
                    throw new ProviderRequestException(
                        $"'{path}' must give image_url: a file_id names a file stored by OpenAI, which {Bridge} cannot read.", path);
                }

                var image = new JsonObject { ["url"] = url };
                if (Text(part["detail"]) is { } detail)
                {
                    image["detail"] = detail;
                }

                return new JsonObject { ["type"] = "image_url", ["image_url"] = image };
            case "input_file":
                if (Text(part["file_data"]) is not { } data)
                {
                    throw new ProviderRequestException(
                        $"'{path}' must give file_data: a file_id or file_url is read by OpenAI, which {Bridge} cannot do.", path);
                }

                var file = new JsonObject { ["file_data"] = data };
                if (Text(part["filename"]) is { } filename)
                {
                    file["filename"] = filename;
                }

                return new JsonObject { ["type"] = "file", ["file"] = file };
            case var other:
                throw new ProviderRequestException($"Content part type '{other}' of '{path}' is not supported by {Bridge}.", path + ".type");
        }
    }

    private static string Required(JsonObject item, string name, string path) =>
        Text(item[name]) ?? throw new ProviderRequestException($"'{path}.{name}' is required.", $"{path}.{name}");
}
