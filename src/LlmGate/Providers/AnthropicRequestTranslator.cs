using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGate.OpenAi;
using static LlmGate.Providers.OpenAiChatRequest;

namespace LlmGate.Providers;

/// <summary>
/// Turns an OpenAI chat completion request into an Anthropic Messages API request: system messages to <c>system</c>,
/// content parts to blocks, tool calls and results to <c>tool_use</c> and <c>tool_result</c> blocks, consecutive
/// turns of one role merged (Anthropic alternates user and assistant).
/// </summary>
internal static class AnthropicRequestTranslator
{
    /// <summary>LiteLLM's <c>DEFAULT_ANTHROPIC_CHAT_MAX_TOKENS</c>: Anthropic requires <c>max_tokens</c>, OpenAI clients often omit it.</summary>
    public const int DefaultMaxTokens = 4096;

    private const string Provider = "provider anthropic";

    /// <summary>The <c>anthropic_version</c> Claude on Vertex AI takes in the body.</summary>
    public const string VertexVersion = "vertex-2023-10-16";

    public static byte[] Translate(ReadOnlySpan<byte> openAiBody, string model, bool stream) => Build(openAiBody, model, null, stream);

    /// <summary>Claude on Vertex AI (<c>:rawPredict</c>): the model is in the URL, and the API version in the body instead of a header.</summary>
    public static byte[] TranslateForVertex(ReadOnlySpan<byte> openAiBody, bool stream) => TranslateForPlatform(openAiBody, VertexVersion, stream);

    /// <summary>
    /// Claude on a cloud platform (Vertex AI, Bedrock's InvokeModel): the model is in the URL, and the platform's
    /// <c>anthropic_version</c> in the body instead of a header.
    /// </summary>
    public static byte[] TranslateForPlatform(ReadOnlySpan<byte> openAiBody, string anthropicVersion, bool stream) =>
        Build(openAiBody, null, anthropicVersion, stream);

    // Exactly one of model (Anthropic's own API) and anthropicVersion (a platform's) is set.
    private static byte[] Build(ReadOnlySpan<byte> openAiBody, string? model, string? anthropicVersion, bool stream)
    {
        var request = JsonNode.Parse(openAiBody) as JsonObject
            ?? throw new ProviderRequestException("The request body must be a JSON object.");
        var result = new JsonObject();
        if (model is not null)
        {
            result["model"] = model;
        }
        else
        {
            result["anthropic_version"] = anthropicVersion;
        }

        result["max_tokens"] = (request["max_completion_tokens"] ?? request["max_tokens"])?.DeepClone() ?? DefaultMaxTokens;

        var (system, turns) = Messages(request["messages"] as JsonArray ?? throw new ProviderRequestException("'messages' must be a list.", "messages"));
        if (system.Count == 1 && system[0]["cache_control"] is null)
        {
            result["system"] = system[0]["text"]!.DeepClone();
        }
        else if (system.Count > 0)
        {
            result["system"] = new JsonArray([.. system]);
        }

        result["messages"] = new JsonArray([.. turns]);
        CopyParameters(request, result);
        Thinking(request, result);
        Tools(request, result);
        if (stream)
        {
            result["stream"] = true;
        }

        var buffer = new ArrayBufferWriter<byte>(openAiBody.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions))
        {
            result.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static (List<JsonObject> System, List<JsonObject> Turns) Messages(JsonArray messages)
    {
        var system = new List<JsonObject>();
        var turns = new List<JsonObject>();
        for (var i = 0; i < messages.Count; i++)
        {
            var path = $"messages[{i}]";
            if (messages[i] is not JsonObject message)
            {
                throw new ProviderRequestException($"'{path}' must be an object.", path);
            }

            var role = Text(message["role"]);
            switch (role)
            {
                case "system" or "developer":
                    system.AddRange(Blocks(message["content"], path, allowImages: false));
                    break;
                case "user":
                    AlternatingTurns.Add(turns, "user", "content", Blocks(message["content"], path, allowImages: true));
                    break;
                case "assistant":
                    AlternatingTurns.Add(turns, "assistant", "content", [.. Blocks(message["content"], path, allowImages: false), .. ToolUses(message["tool_calls"], path)]);
                    break;
                case "tool":
                    AlternatingTurns.Add(turns, "user", "content", [ToolResult(message, path)]);
                    break;
                default:
                    throw new ProviderRequestException($"Role '{role}' of '{path}' is not supported by {Provider}.", path + ".role");
            }
        }

        return (system, turns);
    }

    private static List<JsonObject> Blocks(JsonNode? content, string path, bool allowImages)
    {
        var blocks = new List<JsonObject>();
        foreach (var part in Parts(content, path))
        {
            if (part.Text is { } text)
            {
                var block = new JsonObject { ["type"] = "text", ["text"] = text };
                if (part.Part?["cache_control"] is { } cacheControl)
                {
                    block["cache_control"] = cacheControl.DeepClone();
                }

                blocks.Add(block);
            }
            else if (part.Type == "image_url" && allowImages)
            {
                blocks.Add(Image(part.Part!["image_url"], part.Path));
            }
            else
            {
                throw part.Unsupported(Provider);
            }
        }

        return blocks;
    }

    // OpenAI: a data URL or an http(s) URL; Anthropic: a base64 or a url source.
    private static JsonObject Image(JsonNode? imageUrl, string path)
    {
        var url = ImageUrl(imageUrl);
        JsonObject source;
        if (url is not null && Base64DataUrl(url) is var (mediaType, data))
        {
            source = new JsonObject { ["type"] = "base64", ["media_type"] = mediaType, ["data"] = data };
        }
        else if (url is not null && (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)))
        {
            source = new JsonObject { ["type"] = "url", ["url"] = url };
        }
        else
        {
            throw new ProviderRequestException($"The image in '{path}' must be a base64 data URL or an http(s) URL for {Provider}.", path);
        }

        return new JsonObject { ["type"] = "image", ["source"] = source };
    }

    private static IEnumerable<JsonObject> ToolUses(JsonNode? toolCalls, string path) =>
        ToolCalls(toolCalls, path).Select(toolCall => new JsonObject
        {
            ["type"] = "tool_use",
            ["id"] = Text(toolCall.Call["id"]),
            ["name"] = Text(toolCall.Function["name"]),
            ["input"] = ToolCallArguments(toolCall.Function, toolCall.Path, Provider),
        });

    private static JsonObject ToolResult(JsonObject message, string path)
    {
        var content = message["content"];
        JsonNode? result = content?.GetValueKind() == JsonValueKind.String
            ? content.GetValue<string>()
            : new JsonArray([.. Blocks(content, path, allowImages: true)]);
        return new JsonObject
        {
            ["type"] = "tool_result",
            ["tool_use_id"] = Text(message["tool_call_id"]) ?? throw new ProviderRequestException($"'{path}.tool_call_id' is required.", path + ".tool_call_id"),
            ["content"] = result,
        };
    }

    private static void CopyParameters(JsonObject request, JsonObject result)
    {
        foreach (var name in (ReadOnlySpan<string>)["temperature", "top_p", "top_k", "thinking"])
        {
            if (request[name] is { } value)
            {
                result[name] = value.DeepClone();
            }
        }

        if (StopSequences(request["stop"]) is { } stops)
        {
            result["stop_sequences"] = stops;
        }

        if (Text(request["user"]) is { } user)
        {
            result["metadata"] = new JsonObject { ["user_id"] = user };
        }

        if (request["n"] is JsonValue n && n.GetValueKind() == JsonValueKind.Number && n.GetValue<double>() > 1)
        {
            throw new ProviderRequestException($"n > 1 is not supported by {Provider}.", "n");
        }

        if (request["response_format"] is JsonObject format && Text(format["type"]) is { } formatType and not "text")
        {
            throw new ProviderRequestException($"response_format '{formatType}' is not supported by {Provider} in this version of LlmGate.", "response_format");
        }
    }

    // OpenAI's reasoning_effort is Claude's thinking budget, as LiteLLM maps it; a thinking object of the caller's own
    // wins. Claude needs max_tokens above the budget: an output limit the client did not set leaves the default's room
    // for the answer after the thinking.
    private static void Thinking(JsonObject request, JsonObject result)
    {
        if (request["reasoning_effort"] is not { } effort || result["thinking"] is not null)
        {
            return;
        }

        var level = effort.GetValueKind() == JsonValueKind.String ? effort.GetValue<string>() : null;
        if (!ReasoningBudgets.TryClaudeBudget(level, out var budget))
        {
            throw new ProviderRequestException(
                $"reasoning_effort '{level ?? effort.ToJsonString()}' is not supported by {Provider}; use 'none', 'minimal', 'low', 'medium' or 'high'.", "reasoning_effort");
        }

        if (budget is { } tokens)
        {
            result["thinking"] = new JsonObject { ["type"] = "enabled", ["budget_tokens"] = tokens };
            if (request["max_completion_tokens"] is null && request["max_tokens"] is null)
            {
                result["max_tokens"] = tokens + DefaultMaxTokens;
            }
        }
    }

    private static void Tools(JsonObject request, JsonObject result)
    {
        if (request["tools"] is JsonArray tools && tools.Count > 0)
        {
            var translated = new JsonArray();
            for (var i = 0; i < tools.Count; i++)
            {
                var function = tools[i]?["function"] as JsonObject;
                if (Text(tools[i]?["type"]) != "function" || function is null)
                {
                    throw new ProviderRequestException($"'tools[{i}]' must be a function tool for {Provider}.", $"tools[{i}]");
                }

                var tool = new JsonObject { ["name"] = Text(function["name"]) };
                if (Text(function["description"]) is { } description)
                {
                    tool["description"] = description;
                }

                tool["input_schema"] = function["parameters"]?.DeepClone() ?? new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
                translated.Add(tool);
            }

            result["tools"] = translated;
        }

        JsonObject? choice = request["tool_choice"] switch
        {
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>() switch
            {
                "auto" => new JsonObject { ["type"] = "auto" },
                "none" => new JsonObject { ["type"] = "none" },
                "required" => new JsonObject { ["type"] = "any" },
                var other => throw new ProviderRequestException($"tool_choice '{other}' is not supported by {Provider}.", "tool_choice"),
            },
            JsonObject named when named["function"]?["name"] is { } name => new JsonObject { ["type"] = "tool", ["name"] = Text(name) },
            null => null,
            _ => throw new ProviderRequestException("tool_choice must be 'auto', 'none', 'required' or a named function.", "tool_choice"),
        };

        // OpenAI's parallel_tool_calls: false is Anthropic's disable_parallel_tool_use on the tool choice.
        if (request["parallel_tool_calls"] is JsonValue parallel && parallel.GetValueKind() == JsonValueKind.False && result["tools"] is not null)
        {
            choice ??= new JsonObject { ["type"] = "auto" };
            if (Text(choice["type"]) != "none")
            {
                choice["disable_parallel_tool_use"] = true;
            }
        }

        if (choice is not null)
        {
            result["tool_choice"] = choice;
        }
    }
}
