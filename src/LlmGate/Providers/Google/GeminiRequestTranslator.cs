using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static LlmGate.Providers.OpenAiChatRequest;

namespace LlmGate.Providers.Google;

/// <summary>
/// Turns an OpenAI chat completion request into the body of Gemini's <c>generateContent</c> (the same for
/// <c>streamGenerateContent</c> and for Vertex AI; the model is in the URL): system messages to <c>systemInstruction</c>,
/// turns to <c>contents</c> of role <c>user</c> or <c>model</c> (consecutive turns of one role merged: Gemini alternates),
/// tool calls and results to <c>functionCall</c> and <c>functionResponse</c> parts, sampling to <c>generationConfig</c>.
/// </summary>
internal static class GeminiRequestTranslator
{
    /// <summary>
    /// Gemini 3 wants a function call's <c>thoughtSignature</c> back with the call; OpenAI has no field for it, so the
    /// tool call id carries it after this separator, as LiteLLM's ids do (<c>call_…__thought__&lt;signature&gt;</c>).
    /// </summary>
    public const string ThoughtSignatureSeparator = "__thought__";

    private const string Provider = "Gemini";

    // Parameters that change the answer and have no Gemini form: refused rather than silently dropped.
    private static readonly string[] Unsupported = ["audio", "prediction", "web_search_options", "functions", "function_call"];

    public static byte[] Translate(ReadOnlySpan<byte> openAiChatBody)
    {
        var request = JsonNode.Parse(openAiChatBody) as JsonObject
            ?? throw new ProviderRequestException("The request body must be a JSON object.");
        Refuse(request, Unsupported, Provider);
        var result = new JsonObject();
        var (system, contents) = Messages(request);
        if (system.Count > 0)
        {
            result["systemInstruction"] = new JsonObject { ["parts"] = new JsonArray([.. system]) };
        }

        result["contents"] = new JsonArray([.. contents]);
        Tools(request, result);
        if (GenerationConfig(request) is { Count: > 0 } config)
        {
            result["generationConfig"] = config;
        }

        // LiteLLM's Gemini-only pass-through: a LiteLLM user's safety thresholds.
        if (request["safety_settings"] is JsonArray safety)
        {
            result["safetySettings"] = safety.DeepClone();
        }

        // generateContent's own fields, as extra_body (the deployment's or the request's) gives them: a context cache
        // made with the caches API, and Vertex AI's billing labels.
        if ((request["cachedContent"] ?? request["cached_content"]) is JsonValue cache && cache.GetValueKind() == JsonValueKind.String)
        {
            result["cachedContent"] = cache.DeepClone();
        }

        if (request["labels"] is JsonObject labels)
        {
            result["labels"] = labels.DeepClone();
        }

        return ProviderJson.ToUtf8(result, openAiChatBody.Length + 256);
    }

    private static (List<JsonObject> System, List<JsonObject> Contents) Messages(JsonObject request)
    {
        var system = new List<JsonObject>();
        var contents = new List<JsonObject>();
        var toolNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (message, path, role) in OpenAiChatRequest.Messages(request))
        {
            switch (role)
            {
                case "system" or "developer":
                    system.AddRange(ToParts(message["content"], path, allowMedia: false));
                    break;
                case "user":
                    AlternatingTurns.Add(contents, "user", "parts", ToParts(message["content"], path, allowMedia: true));
                    break;
                case "assistant":
                    AlternatingTurns.Add(contents, "model", "parts", [.. ToParts(message["content"], path, allowMedia: false), .. FunctionCalls(message["tool_calls"], path, toolNames)]);
                    break;
                case "tool":
                    AlternatingTurns.Add(contents, "user", "parts", [FunctionResponse(message, path, toolNames)]);
                    break;
                default:
                    throw new ProviderRequestException($"Role '{role}' of '{path}' is not supported by {Provider}.", path + ".role");
            }
        }

        // Gemini needs a turn to answer; LiteLLM sends "." when the request has only system messages.
        if (contents.Count == 0)
        {
            contents.Add(new JsonObject { ["role"] = "user", ["parts"] = new JsonArray(new JsonObject { ["text"] = "." }) });
        }

        // Gemini refuses a turn without parts (an empty user message, an assistant "" with no tool calls); LiteLLM sends " ".
        foreach (var turn in contents)
        {
            if (turn["parts"] is JsonArray { Count: 0 } parts)
            {
                parts.Add(new JsonObject { ["text"] = " " });
            }
        }

        return (system, contents);
    }

    private static List<JsonObject> ToParts(JsonNode? content, string path, bool allowMedia)
    {
        var parts = new List<JsonObject>();
        foreach (var part in Parts(content, path))
        {
            if (part.Text is { } text)
            {
                parts.Add(new JsonObject { ["text"] = text });
            }
            else if (part.Type == "image_url" && allowMedia)
            {
                parts.Add(Media(part.Part!["image_url"], part.Path));
            }
            else
            {
                throw part.Unsupported(Provider);
            }
        }

        return parts;
    }

    // A data URL is sent inline, any other URL as a file Gemini fetches itself. LiteLLM's "format" (a MIME type) may
    // say what a URL without an extension holds.
    private static JsonObject Media(JsonNode? imageUrl, string path)
    {
        var url = ImageUrl(imageUrl);
        if (url is not null && Base64DataUrl(url) is var (mimeType, data))
        {
            return new JsonObject { ["inlineData"] = new JsonObject { ["mimeType"] = mimeType, ["data"] = data } };
        }

        if (url is not null && (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || url.StartsWith("gs://", StringComparison.OrdinalIgnoreCase)))
        {
            return new JsonObject
            {
                ["fileData"] = new JsonObject
                {
                    ["mimeType"] = (imageUrl is JsonObject inner ? Text(inner["format"]) : null) ?? GeminiMediaTypes.FromUrl(url) ?? GeminiMediaTypes.DefaultImage,
                    ["fileUri"] = url,
                },
            };
        }

        throw new ProviderRequestException($"The image in '{path}' must be a base64 data URL, an http(s) URL or a gs:// URL for {Provider}.", path);
    }

    private static IEnumerable<JsonObject> FunctionCalls(JsonNode? toolCalls, string path, Dictionary<string, string> toolNames)
    {
        foreach (var (call, function, callPath) in ToolCalls(toolCalls, path))
        {
            var name = Text(function["name"]) ?? throw new ProviderRequestException($"'{callPath}.function.name' is required.", callPath + ".function.name");
            var part = new JsonObject
            {
                ["functionCall"] = new JsonObject { ["name"] = name, ["args"] = ToolCallArguments(function, callPath, Provider) },
            };
            if (Text(call["id"]) is { } id)
            {
                toolNames[id] = name;
                var separator = id.IndexOf(ThoughtSignatureSeparator, StringComparison.Ordinal);
                if (separator >= 0)
                {
                    part["thoughtSignature"] = id[(separator + ThoughtSignatureSeparator.Length)..];
                }
            }

            yield return part;
        }
    }

    // Gemini names a result by its function, not by a call id: the name comes from the assistant call the id answers.
    private static JsonObject FunctionResponse(JsonObject message, string path, Dictionary<string, string> toolNames)
    {
        var id = Text(message["tool_call_id"]) ?? throw new ProviderRequestException($"'{path}.tool_call_id' is required.", path + ".tool_call_id");
        if (!toolNames.TryGetValue(id, out var name))
        {
            throw new ProviderRequestException(
                $"'{path}.tool_call_id' ('{id}') answers no tool call of an earlier assistant message; {Provider} needs the function's name.", path + ".tool_call_id");
        }

        var text = new StringBuilder();
        foreach (var part in ToParts(message["content"], path, allowMedia: false))
        {
            text.Append(Text(part["text"]));
        }

        return new JsonObject
        {
            ["functionResponse"] = new JsonObject { ["name"] = name, ["response"] = new JsonObject { ["content"] = text.ToString() } },
        };
    }

    private static JsonObject GenerationConfig(JsonObject request)
    {
        var config = new JsonObject();
        if ((request["max_completion_tokens"] ?? request["max_tokens"]) is { } maxTokens)
        {
            config["maxOutputTokens"] = maxTokens.DeepClone();
        }

        foreach (var (openAi, gemini) in (ReadOnlySpan<(string, string)>)
            [
                ("temperature", "temperature"), ("top_p", "topP"), ("top_k", "topK"), ("n", "candidateCount"),
                ("presence_penalty", "presencePenalty"), ("frequency_penalty", "frequencyPenalty"), ("seed", "seed"),
                ("logprobs", "responseLogprobs"), ("top_logprobs", "logprobs"),
            ])
        {
            if (request[openAi] is { } value)
            {
                config[gemini] = value.DeepClone();
            }
        }

        if (StopSequences(request["stop"]) is { } stops)
        {
            config["stopSequences"] = stops;
        }

        ResponseFormat(request["response_format"], config);
        if (Thinking(request) is { } thinking)
        {
            config["thinkingConfig"] = thinking;
        }

        return config;
    }

    private static void ResponseFormat(JsonNode? format, JsonObject config)
    {
        switch (format is JsonObject ? Text(format["type"]) : null)
        {
            case null or "text":
                break;
            case "json_object":
                config["responseMimeType"] = "application/json";
                break;
            case "json_schema":
                config["responseMimeType"] = "application/json";
                if (format!["json_schema"]?["schema"] is { } schema)
                {
                    config["responseSchema"] = GeminiSchema.Clean(schema, "response_format.json_schema.schema");
                }

                break;
            case var other:
                throw new ProviderRequestException($"response_format '{other}' is not supported by {Provider}.", "response_format");
        }
    }

    // LiteLLM's budgets for Gemini 2.5 (DEFAULT_REASONING_EFFORT_*_THINKING_BUDGET); "none" turns thinking off.
    private static JsonObject? Thinking(JsonObject request)
    {
        if (request["reasoning_effort"] is { } effort)
        {
            return Text(effort) switch
            {
                "minimal" => Budget(128),
                "low" => Budget(1024),
                "medium" => Budget(2048),
                "high" => Budget(4096),
                "none" or "disable" => new JsonObject { ["thinkingBudget"] = 0 },
                var other => throw new ProviderRequestException($"reasoning_effort '{other}' is not supported by {Provider}.", "reasoning_effort"),
            };
        }

        // Anthropic's form, which LiteLLM also accepts for Gemini: {"type":"enabled","budget_tokens":N}; without a
        // budget, Gemini chooses its own.
        if (request["thinking"] is JsonObject thinking)
        {
            if (Text(thinking["type"]) != "enabled")
            {
                return new JsonObject { ["thinkingBudget"] = 0 };
            }

            return thinking["budget_tokens"] is JsonValue budget && budget.TryGetValue<double>(out var tokens)
                ? Budget((int)tokens)
                : new JsonObject { ["includeThoughts"] = true };
        }

        return null;

        static JsonObject Budget(int tokens) => new() { ["thinkingBudget"] = tokens, ["includeThoughts"] = true };
    }

    private static void Tools(JsonObject request, JsonObject result)
    {
        if (request["tools"] is JsonArray tools && tools.Count > 0)
        {
            var declarations = new JsonArray();
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
                };
                if (Text(function["description"]) is { } description)
                {
                    declaration["description"] = description;
                }

                // Gemini refuses an object schema without properties (a function with no arguments): no parameters says that.
                if (function["parameters"] is { } parameters
                    && GeminiSchema.Clean(parameters, $"tools[{i}].function.parameters") is var schema
                    && (schema["properties"] is JsonObject { Count: > 0 } || Text(schema["type"]) is not (null or "object")))
                {
                    declaration["parameters"] = schema;
                }

                declarations.Add(declaration);
            }

            result["tools"] = new JsonArray(new JsonObject { ["functionDeclarations"] = declarations });
        }

        JsonObject? choice = request["tool_choice"] switch
        {
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>() switch
            {
                "auto" => new JsonObject { ["mode"] = "AUTO" },
                "none" => new JsonObject { ["mode"] = "NONE" },
                "required" => new JsonObject { ["mode"] = "ANY" },
                var other => throw new ProviderRequestException($"tool_choice '{other}' is not supported by {Provider}.", "tool_choice"),
            },
            JsonObject named when Text(named["function"]?["name"]) is { } name =>
                new JsonObject { ["mode"] = "ANY", ["allowedFunctionNames"] = new JsonArray(name) },
            null => null,
            _ => throw new ProviderRequestException("tool_choice must be 'auto', 'none', 'required' or a named function.", "tool_choice"),
        };

        if (choice is not null)
        {
            result["toolConfig"] = new JsonObject { ["functionCallingConfig"] = choice };
        }
    }
}
