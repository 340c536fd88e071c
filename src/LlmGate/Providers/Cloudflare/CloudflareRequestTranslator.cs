using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static LlmGate.Providers.OpenAiChatRequest;

namespace LlmGate.Providers.Cloudflare;

/// <summary>
/// Turns an OpenAI chat completion request into the body of Workers AI's <c>POST …/ai/run/{model}</c>: OpenAI's messages
/// with their content flattened to strings (Workers AI's messages carry text only), tool calls and tool results kept,
/// and the sampling parameters Workers AI takes. The model is in the URL.
/// </summary>
internal static class CloudflareRequestTranslator
{
    private const string Provider = "Cloudflare Workers AI";

    // Parameters that change the answer and have no Workers AI form: refused rather than silently dropped.
    private static readonly string[] Unsupported =
        ["stop", "audio", "prediction", "web_search_options", "functions", "function_call", "reasoning_effort", "logprobs", "top_logprobs"];

    public static byte[] Translate(ReadOnlySpan<byte> openAiChatBody, bool stream)
    {
        var request = JsonNode.Parse(openAiChatBody) as JsonObject
            ?? throw new ProviderRequestException("The request body must be a JSON object.");
        Refuse(request, Unsupported, Provider);
        RefuseChoices(request, Provider);
        var result = new JsonObject { ["messages"] = Messages(request) };
        if (stream)
        {
            result["stream"] = true;
        }

        if ((request["max_completion_tokens"] ?? request["max_tokens"]) is { } maxTokens)
        {
            result["max_tokens"] = maxTokens.DeepClone();
        }

        foreach (var name in (ReadOnlySpan<string>)["temperature", "top_p", "top_k", "seed", "frequency_penalty", "presence_penalty", "repetition_penalty"])
        {
            if (request[name] is { } value)
            {
                result[name] = value.DeepClone();
            }
        }

        Tools(request, result);
        if (ResponseFormat(request["response_format"]) is { } format)
        {
            result["response_format"] = format;
        }

        return ProviderJson.ToUtf8(result, openAiChatBody.Length + 256);
    }

    private static JsonArray Messages(JsonObject request)
    {
        var result = new JsonArray();
        var toolNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (message, path, role) in OpenAiChatRequest.Messages(request))
        {
            var translated = new JsonObject
            {
                ["role"] = role switch
                {
                    "system" or "developer" => "system",
                    "user" or "assistant" or "tool" => role,
                    _ => throw new ProviderRequestException($"Role '{role}' of '{path}' is not supported by {Provider}.", path + ".role"),
                },
                ["content"] = Flatten(message["content"], path),
            };
            if (role == "assistant" && message["tool_calls"] is JsonArray { Count: > 0 } calls)
            {
                translated["tool_calls"] = ToolCalls(calls, path, toolNames);
            }

            if (role == "tool")
            {
                var id = Text(message["tool_call_id"]) ?? throw new ProviderRequestException($"'{path}.tool_call_id' is required.", path + ".tool_call_id");
                translated["tool_call_id"] = id;
                // The open models behind Workers AI read a tool result by its function's name.
                if (toolNames.TryGetValue(id, out var name))
                {
                    translated["name"] = name;
                }
            }

            result.Add(translated);
        }

        return result;
    }

    // Workers AI's messages hold one string: text parts are joined; images have no place in it.
    private static string Flatten(JsonNode? content, string path)
    {
        var text = new StringBuilder();
        foreach (var part in Parts(content, path))
        {
            if (part.Text is null)
            {
                throw part.Unsupported(Provider);
            }

            text.Append(part.Text);
        }

        return text.ToString();
    }

    private static JsonArray ToolCalls(JsonArray calls, string path, Dictionary<string, string> toolNames)
    {
        var result = new JsonArray();
        for (var k = 0; k < calls.Count; k++)
        {
            var callPath = $"{path}.tool_calls[{k}]";
            var function = calls[k]?["function"] as JsonObject ?? throw new ProviderRequestException($"'{callPath}.function' is required.", callPath + ".function");
            var name = Text(function["name"]) ?? throw new ProviderRequestException($"'{callPath}.function.name' is required.", callPath + ".function.name");
            var id = Text(calls[k]!["id"]) ?? throw new ProviderRequestException($"'{callPath}.id' is required.", callPath + ".id");
            toolNames[id] = name;
            result.Add(new JsonObject
            {
                ["id"] = id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = name, ["arguments"] = ToolCallArguments(function, callPath, Provider).ToJsonString() },
            });
        }

        return result;
    }

    private static void Tools(JsonObject request, JsonObject result)
    {
        var choice = request["tool_choice"] switch
        {
            null => "auto",
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
            _ => "named",
        };
        if (choice is not ("auto" or "none"))
        {
            throw new ProviderRequestException($"Only tool_choice 'auto' and 'none' are supported by {Provider}.", "tool_choice");
        }

        // Workers AI has no tool choice: offering no tools is how "none" is said.
        if (choice == "none" || request["tools"] is not JsonArray { Count: > 0 } tools)
        {
            return;
        }

        var declared = new JsonArray();
        for (var i = 0; i < tools.Count; i++)
        {
            var function = tools[i]?["function"] as JsonObject;
            if (Text(tools[i]?["type"]) != "function" || function is null)
            {
                throw new ProviderRequestException($"'tools[{i}]' must be a function tool for {Provider}.", $"tools[{i}]");
            }

            var declaration = new JsonObject
            {
                ["name"] = Text(function["name"]) ?? throw new ProviderRequestException($"'tools[{i}].function.name' is required.", $"tools[{i}].function.name"),
                // Workers AI requires a description.
                ["description"] = Text(function["description"]) ?? "",
            };
            if (function["parameters"] is JsonObject parameters)
            {
                declaration["parameters"] = parameters.DeepClone();
            }

            declared.Add(new JsonObject { ["type"] = "function", ["function"] = declaration });
        }

        result["tools"] = declared;
    }

    // Workers AI's JSON mode: json_object, or json_schema with the schema itself.
    private static JsonObject? ResponseFormat(JsonNode? format) => (format is JsonObject ? Text(format["type"]) : null) switch
    {
        null or "text" => null,
        "json_object" => new JsonObject { ["type"] = "json_object" },
        "json_schema" when format!["json_schema"]?["schema"] is JsonObject schema => new JsonObject { ["type"] = "json_schema", ["json_schema"] = schema.DeepClone() },
        "json_schema" => new JsonObject { ["type"] = "json_object" },
        var other => throw new ProviderRequestException($"response_format '{other}' is not supported by {Provider}.", "response_format"),
    };
}
