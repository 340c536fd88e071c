using System.Text.Json;
using System.Text.Json.Nodes;
using static LlmGate.Providers.OpenAiChatRequest;

namespace LlmGate.Providers.Cohere;

/// <summary>
/// Turns an OpenAI chat completion request into the body of Cohere's <c>POST /v2/chat</c>. Cohere's v2 messages are
/// OpenAI's in all but detail (roles system, user, assistant, tool; <c>tool_calls</c> and <c>tool_call_id</c> alike), so
/// messages keep their shape; the sampling names change (<c>top_p</c> → <c>p</c>, <c>top_k</c> → <c>k</c>, <c>stop</c>
/// → <c>stop_sequences</c>), and only fields Cohere knows are written: it refuses any other.
/// </summary>
internal static class CohereRequestTranslator
{
    private const string Provider = "Cohere";

    // Parameters that change the answer and have no Cohere form here: refused rather than silently dropped.
    // logprobs: Cohere's have their own shape, which LlmGate does not translate back.
    private static readonly string[] Unsupported =
        ["audio", "prediction", "web_search_options", "functions", "function_call", "reasoning_effort", "thinking", "logprobs", "top_logprobs"];

    public static byte[] Translate(ReadOnlySpan<byte> openAiChatBody, string model, bool stream)
    {
        var request = JsonNode.Parse(openAiChatBody) as JsonObject
            ?? throw new ProviderRequestException("The request body must be a JSON object.");
        Refuse(request, Unsupported, Provider);
        RefuseChoices(request, Provider);
        var result = new JsonObject
        {
            ["model"] = model,
            ["stream"] = stream,
            ["messages"] = Messages(request),
        };
        Tools(request, result);
        Sampling(request, result);
        if (ResponseFormat(request["response_format"]) is { } format)
        {
            result["response_format"] = format;
        }

        // Cohere's own chat fields, as extra_body (the deployment's or the request's) gives them.
        foreach (var name in (ReadOnlySpan<string>)["safety_mode", "documents", "citation_options", "strict_tools", "priority"])
        {
            if (request[name] is { } value)
            {
                result[name] = value.DeepClone();
            }
        }

        return ProviderJson.ToUtf8(result, openAiChatBody.Length + 256);
    }

    private static JsonArray Messages(JsonObject request)
    {
        var result = new JsonArray();
        foreach (var (message, path, role) in OpenAiChatRequest.Messages(request))
        {
            result.Add(role switch
            {
                // Cohere has no developer role; OpenAI's newer name for system instructions is one for Cohere.
                "system" or "developer" => new JsonObject { ["role"] = "system", ["content"] = Content(message["content"], path, allowImages: false) },
                "user" => new JsonObject { ["role"] = "user", ["content"] = Content(message["content"], path, allowImages: true) },
                "assistant" => Assistant(message, path),
                "tool" => new JsonObject
                {
                    ["role"] = "tool",
                    ["tool_call_id"] = Text(message["tool_call_id"]) ?? throw new ProviderRequestException($"'{path}.tool_call_id' is required.", path + ".tool_call_id"),
                    ["content"] = Content(message["content"], path, allowImages: false),
                },
                _ => throw new ProviderRequestException($"Role '{role}' of '{path}' is not supported by {Provider}.", path + ".role"),
            });
        }

        return result;
    }

    // A string stays a string; a list of parts becomes Cohere's list of text (and, for users, image_url) parts.
    private static JsonNode Content(JsonNode? content, string path, bool allowImages)
    {
        if (content is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            return value.GetValue<string>();
        }

        var parts = new JsonArray();
        foreach (var part in Parts(content, path))
        {
            if (part.Text is { } text)
            {
                parts.Add(new JsonObject { ["type"] = "text", ["text"] = text });
            }
            else if (part.Type == "image_url" && allowImages)
            {
                parts.Add(Image(part.Part!["image_url"], part.Path));
            }
            else
            {
                throw part.Unsupported(Provider);
            }
        }

        return parts.Count > 0 ? parts : "";
    }

    // Cohere takes OpenAI's image part as it is: a data URL or an http(s) URL, and an optional detail.
    private static JsonObject Image(JsonNode? imageUrl, string path)
    {
        var url = ImageUrl(imageUrl);
        if (url is null || !(url.StartsWith("data:", StringComparison.OrdinalIgnoreCase)
            || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ProviderRequestException($"The image in '{path}' must be a data URL or an http(s) URL for {Provider}.", path);
        }

        var image = new JsonObject { ["url"] = url };
        if (imageUrl is JsonObject inner && Text(inner["detail"]) is "auto" or "low" or "high")
        {
            image["detail"] = Text(inner["detail"]);
        }

        return new JsonObject { ["type"] = "image_url", ["image_url"] = image };
    }

    private static JsonObject Assistant(JsonObject message, string path)
    {
        var result = new JsonObject { ["role"] = "assistant" };
        var calls = message["tool_calls"] as JsonArray;
        var content = Content(message["content"], path, allowImages: false);
        // An assistant turn that only called tools carries no content ("" or null in OpenAI's form).
        if (calls is not { Count: > 0 } || content is JsonArray || Text(content) is { Length: > 0 })
        {
            result["content"] = content;
        }

        if (calls is { Count: > 0 })
        {
            var toolCalls = new JsonArray();
            for (var k = 0; k < calls.Count; k++)
            {
                var callPath = $"{path}.tool_calls[{k}]";
                var call = calls[k] as JsonObject ?? throw new ProviderRequestException($"'{callPath}' must be an object.", callPath);
                var function = call["function"] as JsonObject ?? throw new ProviderRequestException($"'{callPath}.function' is required.", callPath + ".function");
                toolCalls.Add(new JsonObject
                {
                    // Cohere answers a tool result by this id: one is required.
                    ["id"] = Text(call["id"]) ?? throw new ProviderRequestException($"'{callPath}.id' is required.", callPath + ".id"),
                    ["type"] = "function",
                    ["function"] = new JsonObject
                    {
                        ["name"] = Text(function["name"]) ?? throw new ProviderRequestException($"'{callPath}.function.name' is required.", callPath + ".function.name"),
                        ["arguments"] = ToolCallArguments(function, callPath, Provider).ToJsonString(),
                    },
                });
            }

            result["tool_calls"] = toolCalls;
        }

        return result;
    }

    private static void Tools(JsonObject request, JsonObject result)
    {
        var tools = request["tools"] is JsonArray { Count: > 0 } list ? list : null;
        var named = request["tool_choice"] is JsonObject choice ? Text(choice["function"]?["name"]) ?? throw new ProviderRequestException("tool_choice must name a function.", "tool_choice") : null;
        var mode = request["tool_choice"] switch
        {
            null => null,
            JsonObject => "REQUIRED",
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>() switch
            {
                "auto" => null,
                "none" => "NONE",
                "required" => "REQUIRED",
                var other => throw new ProviderRequestException($"tool_choice '{other}' is not supported by {Provider}.", "tool_choice"),
            },
            _ => throw new ProviderRequestException("tool_choice must be 'auto', 'none', 'required' or a named function.", "tool_choice"),
        };

        if (tools is null)
        {
            if (mode == "REQUIRED")
            {
                throw new ProviderRequestException("tool_choice requires 'tools'.", "tool_choice");
            }

            return;
        }

        var declared = new JsonArray();
        var strict = false;
        for (var i = 0; i < tools.Count; i++)
        {
            var function = tools[i]?["function"] as JsonObject;
            if (Text(tools[i]?["type"]) != "function" || function is null)
            {
                throw new ProviderRequestException($"'tools[{i}]' must be a function tool for {Provider}.", $"tools[{i}]");
            }

            var name = Text(function["name"]) ?? throw new ProviderRequestException($"'tools[{i}].function.name' is required.", $"tools[{i}].function.name");
            strict |= function["strict"]?.GetValueKind() == JsonValueKind.True;
            // Cohere has no named tool choice: the named tool alone, required, says the same.
            if (named is not null && name != named)
            {
                continue;
            }

            var declaration = new JsonObject { ["name"] = name };
            if (Text(function["description"]) is { } description)
            {
                declaration["description"] = description;
            }

            // Cohere requires parameters; a function without arguments is an object with no properties.
            declaration["parameters"] = function["parameters"] is JsonObject parameters
                ? parameters.DeepClone()
                : new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
            declared.Add(new JsonObject { ["type"] = "function", ["function"] = declaration });
        }

        if (named is not null && declared.Count == 0)
        {
            throw new ProviderRequestException($"tool_choice names '{named}', which is not one of 'tools'.", "tool_choice");
        }

        result["tools"] = declared;
        if (strict)
        {
            // OpenAI's per-function strict; Cohere's is for all tools at once.
            result["strict_tools"] = true;
        }

        if (mode is not null)
        {
            result["tool_choice"] = mode;
        }
    }

    private static void Sampling(JsonObject request, JsonObject result)
    {
        if ((request["max_completion_tokens"] ?? request["max_tokens"]) is { } maxTokens)
        {
            result["max_tokens"] = maxTokens.DeepClone();
        }

        foreach (var (openAi, cohere) in (ReadOnlySpan<(string, string)>)
            [("temperature", "temperature"), ("top_k", "k"), ("seed", "seed"), ("frequency_penalty", "frequency_penalty"), ("presence_penalty", "presence_penalty")])
        {
            if (request[openAi] is { } value)
            {
                result[cohere] = value.DeepClone();
            }
        }

        // OpenAI's top_p is in [0, 1] and clients send 1 for "no cut"; Cohere's p is in [0.01, 0.99].
        if (request["top_p"] is JsonValue topP && topP.TryGetValue<double>(out var p))
        {
            result["p"] = Math.Clamp(p, 0.01, 0.99);
        }

        if (StopSequences(request["stop"]) is { } stops)
        {
            result["stop_sequences"] = stops;
        }
    }

    // OpenAI's json_object and json_schema are both Cohere's json_object, the schema (when given) in its json_schema.
    private static JsonObject? ResponseFormat(JsonNode? format) => (format is JsonObject ? Text(format["type"]) : null) switch
    {
        null or "text" => null,
        "json_object" => new JsonObject { ["type"] = "json_object" },
        "json_schema" => format!["json_schema"]?["schema"] is JsonObject schema
            ? new JsonObject { ["type"] = "json_object", ["json_schema"] = schema.DeepClone() }
            : new JsonObject { ["type"] = "json_object" },
        var other => throw new ProviderRequestException($"response_format '{other}' is not supported by {Provider}.", "response_format"),
    };
}
