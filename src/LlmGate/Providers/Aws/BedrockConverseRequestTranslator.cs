using System.Text.Json;
using System.Text.Json.Nodes;
using static LlmGate.Providers.OpenAiChatRequest;

namespace LlmGate.Providers.Aws;

/// <summary>
/// Turns an OpenAI chat completion request into the body of Bedrock's Converse (the same for ConverseStream; the model
/// is in the URL), by LiteLLM's mapping: system messages to <c>system</c>, turns of role <c>user</c> or
/// <c>assistant</c> (consecutive turns of one role merged), tool calls and results to <c>toolUse</c> and
/// <c>toolResult</c> blocks, sampling to <c>inferenceConfig</c>, tools to <c>toolConfig</c>, and any parameter that is
/// not OpenAI's (<c>top_k</c>, <c>thinking</c>, …) to <c>additionalModelRequestFields</c> for the model.
/// </summary>
internal static class BedrockConverseRequestTranslator
{
    /// <summary>LiteLLM's JSON mode: the forced tool whose input is the JSON the client asked for.</summary>
    public const string JsonToolName = "json_tool_call";

    private const string Provider = "bedrock";

    // Read below, each in its own way.
    private static readonly HashSet<string> Mapped = new(StringComparer.Ordinal)
    {
        "messages", "max_tokens", "max_completion_tokens", "temperature", "top_p", "stop", "tools", "tool_choice",
        "response_format", "n", "top_k", "reasoning_effort", "guardrailConfig", "performanceConfig",
    };

    // Read by the gateway, or LiteLLM's own request options, which LiteLLM consumes before any provider: never the model's.
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "model", "stream", "stream_options", "user", "metadata", "store", "parallel_tool_calls", "mock_response",
        "drop_params", "additional_drop_params", "allowed_openai_params", "safety_identifier", "prompt_cache_key",
        "num_retries", "fallbacks", "context_window_fallbacks", "content_policy_fallbacks", "timeout", "tags",
    };

    // OpenAI's parameters with no Converse form: dropped with drop_params, otherwise refused (LiteLLM's UnsupportedParamsError).
    private static readonly HashSet<string> Unsupported = new(StringComparer.Ordinal)
    {
        "presence_penalty", "frequency_penalty", "logit_bias", "logprobs", "top_logprobs", "seed", "audio", "modalities",
        "prediction", "web_search_options", "functions", "function_call", "service_tier", "verbosity",
    };

    /// <param name="dropUnsupported">LiteLLM's <c>drop_params</c>: leave out what Converse cannot take instead of refusing the request.</param>
    /// <param name="modelId">
    /// The Bedrock model id, when known: <c>top_k</c> and <c>reasoning_effort</c> take a model family's own fields
    /// (Claude's <c>top_k</c> and <c>thinking</c>, Nova's <c>inferenceConfig.topK</c>).
    /// </param>
    /// <exception cref="ProviderRequestException">The request asks for what Converse cannot do (and, for a parameter, drop_params is off).</exception>
    public static BedrockConverseRequest Translate(ReadOnlySpan<byte> openAiChatBody, bool dropUnsupported, string? modelId = null)
    {
        var request = JsonNode.Parse(openAiChatBody) as JsonObject
            ?? throw new ProviderRequestException("The request body must be a JSON object.");
        var additional = Parameters(request, dropUnsupported, modelId);
        var thinking = additional["thinking"] is JsonObject thinkingConfig && Text(thinkingConfig["type"]) == "enabled" ? thinkingConfig : null;
        var (system, turns, toolBlocks) = Messages(request["messages"] as JsonArray ?? throw new ProviderRequestException("'messages' must be a list.", "messages"));

        var result = new JsonObject();
        if (system.Count > 0)
        {
            result["system"] = new JsonArray([.. system]);
        }

        result["messages"] = new JsonArray([.. turns]);
        if (InferenceConfig(request, thinking) is { Count: > 0 } inference)
        {
            result["inferenceConfig"] = inference;
        }

        var (toolConfig, jsonMode) = ToolConfig(request, dropUnsupported, forceJsonTool: thinking is null);
        if (toolConfig is not null)
        {
            result["toolConfig"] = toolConfig;
        }
        else if (toolBlocks)
        {
            throw new ProviderRequestException(
                $"{Provider} does not support tool calls or tool results in 'messages' without 'tools': Converse needs the tools the calls name.", "tools");
        }

        if (additional.Count > 0)
        {
            result["additionalModelRequestFields"] = additional;
        }

        // Converse's own blocks, which LiteLLM passes through as the caller wrote them.
        foreach (var name in (ReadOnlySpan<string>)["guardrailConfig", "performanceConfig"])
        {
            if (request[name] is JsonObject block)
            {
                result[name] = block.DeepClone();
            }
        }

        return new BedrockConverseRequest(ProviderJson.ToUtf8(result, openAiChatBody.Length + 256), jsonMode);
    }

    // The parameters that go to the model as additionalModelRequestFields; OpenAI's that Converse lacks are dropped or refused.
    private static JsonObject Parameters(JsonObject request, bool dropUnsupported, string? modelId)
    {
        var additional = new JsonObject();
        var unsupported = new List<string>();
        foreach (var (name, value) in request)
        {
            if (value is null || Mapped.Contains(name) || Ignored.Contains(name))
            {
                continue;
            }

            if (Unsupported.Contains(name))
            {
                if (!IsNeutral(name, value))
                {
                    unsupported.Add(name);
                }

                continue;
            }

            additional[name] = value.DeepClone();
        }

        if (request["n"] is JsonValue n && n.TryGetValue<double>(out var choices) && choices > 1)
        {
            unsupported.Add("n");
        }

        if (request["top_k"] is { } topK)
        {
            // LiteLLM: Nova takes top_k in its own inferenceConfig; Claude and the rest as top_k.
            if (modelId?.Contains("amazon.nova", StringComparison.Ordinal) == true)
            {
                additional["inferenceConfig"] = new JsonObject { ["topK"] = topK.DeepClone() };
            }
            else
            {
                additional["top_k"] = topK.DeepClone();
            }
        }

        if (request["reasoning_effort"] is { } effort && Text(effort) is var level and not "none")
        {
            if (modelId?.Contains("anthropic.", StringComparison.Ordinal) != true)
            {
                unsupported.Add("reasoning_effort");
            }
            else if (!ReasoningBudgets.TryClaudeBudget(level, out var budget) || budget is null)
            {
                throw new ProviderRequestException($"reasoning_effort '{level}' is not supported by {Provider}; use 'low', 'medium' or 'high'.", "reasoning_effort");
            }
            else if (additional["thinking"] is null)
            {
                // A thinking object of the caller's own wins, as in LiteLLM.
                additional["thinking"] = new JsonObject { ["type"] = "enabled", ["budget_tokens"] = budget };
            }
        }

        if (unsupported.Count > 0 && !dropUnsupported)
        {
            // LiteLLM's UnsupportedParamsError, worded for a proxy's users (drop_params in the config, not litellm.drop_params).
            throw new ProviderRequestException(
                $"{Provider} does not support parameters: [{string.Join(", ", unsupported.Select(u => $"'{u}'"))}]. To drop these, set `drop_params: true`.",
                unsupported[0]);
        }

        return additional;
    }

    // A parameter set to what OpenAI does anyway asks for nothing Converse lacks (clients send "presence_penalty": 0).
    private static bool IsNeutral(string name, JsonNode value) => name switch
    {
        "presence_penalty" or "frequency_penalty" or "top_logprobs" => value is JsonValue number && number.TryGetValue<double>(out var x) && x == 0,
        "logprobs" => value.GetValueKind() == JsonValueKind.False,
        "logit_bias" => value is JsonObject { Count: 0 },
        "modalities" => value is JsonArray modalities && modalities.All(m => Text(m) == "text"),
        "service_tier" => Text(value) is "auto" or "default",
        _ => false,
    };

    private static JsonObject InferenceConfig(JsonObject request, JsonObject? thinking)
    {
        var config = new JsonObject();
        if ((request["max_completion_tokens"] ?? request["max_tokens"]) is { } maxTokens)
        {
            config["maxTokens"] = maxTokens.DeepClone();
        }
        else if (thinking?["budget_tokens"] is JsonValue budget && budget.TryGetValue<int>(out var tokens))
        {
            // LiteLLM's rule: Claude wants max_tokens above the thinking budget, and the model's default may be below it.
            config["maxTokens"] = tokens + AnthropicRequestTranslator.DefaultMaxTokens;
        }

        if (request["temperature"] is { } temperature)
        {
            config["temperature"] = temperature.DeepClone();
        }

        if (request["top_p"] is { } topP)
        {
            config["topP"] = topP.DeepClone();
        }

        // Converse refuses an empty stop sequence; LiteLLM skips it.
        if (StopSequences(request["stop"]) is { } stops
            && new JsonArray([.. stops.Select(Text).Where(stop => !string.IsNullOrEmpty(stop)).Select(stop => JsonValue.Create(stop))]) is { Count: > 0 } kept)
        {
            config["stopSequences"] = kept;
        }

        return config;
    }

    private static (List<JsonObject> System, List<JsonObject> Turns, bool ToolBlocks) Messages(JsonArray messages)
    {
        var system = new List<JsonObject>();
        var turns = new List<JsonObject>();
        var toolBlocks = false;
        for (var i = 0; i < messages.Count; i++)
        {
            var path = $"messages[{i}]";
            if (messages[i] is not JsonObject message)
            {
                throw new ProviderRequestException($"'{path}' must be an object.", path);
            }

            var role = Text(message["role"]);
            (string? TurnRole, List<JsonObject> Blocks) turn = role switch
            {
                "system" or "developer" => (null, Blocks(message, path, allowImages: false)),
                "user" => ("user", Blocks(message, path, allowImages: true)),
                "assistant" => ("assistant", [.. Blocks(message, path, allowImages: false), .. ToolUses(message["tool_calls"], path)]),
                "tool" => ("user", [ToolResult(message, path)]),
                _ => throw new ProviderRequestException($"Role '{role}' of '{path}' is not supported by {Provider}.", path + ".role"),
            };
            if (turn.TurnRole is null)
            {
                system.AddRange(turn.Blocks);
            }
            else if (turn.Blocks.Count > 0)
            {
                // A message with nothing to say (an assistant "" without tool calls) is left out: Converse refuses empty turns.
                toolBlocks |= role is "tool" || turn.Blocks.Any(b => b.ContainsKey("toolUse"));
                AlternatingTurns.Add(turns, turn.TurnRole, "content", turn.Blocks);
            }
        }

        return (system, turns, toolBlocks);
    }

    // Texts and images, each part marked for caching (cache_control) followed by a cachePoint, as LiteLLM sends it.
    private static List<JsonObject> Blocks(JsonObject message, string path, bool allowImages)
    {
        var blocks = new List<JsonObject>();
        foreach (var part in Parts(message["content"], path))
        {
            if (part.Text is { } text)
            {
                blocks.Add(new JsonObject { ["text"] = text });
            }
            else if (part.Type == "image_url" && allowImages)
            {
                blocks.Add(Image(part.Part!["image_url"], part.Path));
            }
            else
            {
                throw part.Unsupported(Provider);
            }

            if (part.Part?["cache_control"] is not null)
            {
                blocks.Add(CachePoint());
            }
        }

        if (message["cache_control"] is not null && blocks.Count > 0)
        {
            blocks.Add(CachePoint());
        }

        return blocks;
    }

    private static JsonObject CachePoint() => new() { ["cachePoint"] = new JsonObject { ["type"] = "default" } };

    // Converse takes an image's bytes (base64 in JSON) and format, never a URL to fetch.
    private static JsonObject Image(JsonNode? imageUrl, string path)
    {
        var url = ImageUrl(imageUrl);
        if (url is null || Base64DataUrl(url) is not var (mediaType, data))
        {
            throw new ProviderRequestException(
                $"The image in '{path}' must be a base64 data URL (data:image/png;base64,…): {Provider}'s Converse API takes an image's bytes, not a URL to fetch.", path);
        }

        var format = mediaType.ToUpperInvariant() switch
        {
            "IMAGE/PNG" => "png",
            "IMAGE/JPEG" or "IMAGE/JPG" => "jpeg",
            "IMAGE/GIF" => "gif",
            "IMAGE/WEBP" => "webp",
            _ => throw new ProviderRequestException($"The image in '{path}' is '{mediaType}'; {Provider} takes png, jpeg, gif and webp images.", path),
        };
        return new JsonObject
        {
            ["image"] = new JsonObject { ["format"] = format, ["source"] = new JsonObject { ["bytes"] = data } },
        };
    }

    private static IEnumerable<JsonObject> ToolUses(JsonNode? toolCalls, string path) =>
        ToolCalls(toolCalls, path).Select(toolCall => new JsonObject
        {
            ["toolUse"] = new JsonObject
            {
                ["toolUseId"] = Text(toolCall.Call["id"]) ?? throw new ProviderRequestException($"'{toolCall.Path}.id' is required.", toolCall.Path + ".id"),
                ["name"] = Text(toolCall.Function["name"])
                    ?? throw new ProviderRequestException($"'{toolCall.Path}.function.name' is required.", toolCall.Path + ".function.name"),
                ["input"] = ToolCallArguments(toolCall.Function, toolCall.Path, Provider),
            },
        });

    private static JsonObject ToolResult(JsonObject message, string path)
    {
        var content = new JsonArray();
        foreach (var block in Blocks(message, path, allowImages: true).Where(b => !b.ContainsKey("cachePoint")))
        {
            content.Add(block);
        }

        // LiteLLM sends the result's text as it is, even empty: the result must say something.
        if (content.Count == 0)
        {
            content.Add(new JsonObject { ["text"] = "" });
        }

        return new JsonObject
        {
            ["toolResult"] = new JsonObject
            {
                ["toolUseId"] = Text(message["tool_call_id"]) ?? throw new ProviderRequestException($"'{path}.tool_call_id' is required.", path + ".tool_call_id"),
                ["content"] = content,
                ["status"] = "success",
            },
        };
    }

    // The client's tools, then JSON mode's forced tool; null when there are none (Converse refuses an empty list).
    private static (JsonObject? ToolConfig, bool JsonMode) ToolConfig(JsonObject request, bool dropUnsupported, bool forceJsonTool)
    {
        var tools = new JsonArray();
        if (request["tools"] is JsonArray list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                var function = list[i]?["function"] as JsonObject;
                if (Text(list[i]?["type"]) != "function" || function is null)
                {
                    throw new ProviderRequestException($"'tools[{i}]' must be a function tool for {Provider}.", $"tools[{i}]");
                }

                var name = Text(function["name"]) ?? throw new ProviderRequestException($"'tools[{i}].function.name' is required.", $"tools[{i}].function.name");
                tools.Add(ToolSpec(name, Text(function["description"]), function["parameters"]));
            }
        }

        var choice = ToolChoice(request["tool_choice"], dropUnsupported);
        var jsonMode = false;
        switch (request["response_format"] is JsonObject format ? Text(format["type"]) : null)
        {
            case null or "text":
                break;
            case "json_schema":
                var jsonSchema = request["response_format"]!["json_schema"];
                tools.Add(ToolSpec(JsonToolName, Text(jsonSchema?["description"]), jsonSchema?["schema"]));
                // Claude refuses a forced tool while it thinks; LiteLLM then leaves the choice to the model.
                if (forceJsonTool)
                {
                    choice = new JsonObject { ["tool"] = new JsonObject { ["name"] = JsonToolName } };
                }

                jsonMode = true;
                break;
            case "json_object" when dropUnsupported:
                break;
            case "json_object":
                throw new ProviderRequestException(
                    $"{Provider} does not support response_format 'json_object' without a schema; send 'json_schema'. To drop it, set `drop_params: true`.", "response_format");
            case var other:
                throw new ProviderRequestException($"response_format '{other}' is not supported by {Provider}.", "response_format");
        }

        if (tools.Count == 0)
        {
            return (null, false);
        }

        var config = new JsonObject { ["tools"] = tools };
        if (choice is not null)
        {
            config["toolChoice"] = choice;
        }

        return (config, jsonMode);
    }

    // Converse wants a description (LiteLLM gives the name) and a schema (an object without properties for none).
    private static JsonObject ToolSpec(string name, string? description, JsonNode? parameters) => new()
    {
        ["toolSpec"] = new JsonObject
        {
            ["name"] = name,
            ["description"] = description ?? name,
            ["inputSchema"] = new JsonObject
            {
                ["json"] = parameters?.DeepClone() ?? new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() },
            },
        },
    };

    private static JsonObject? ToolChoice(JsonNode? toolChoice, bool dropUnsupported) => toolChoice switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>() switch
        {
            "auto" => new JsonObject { ["auto"] = new JsonObject() },
            "required" => new JsonObject { ["any"] = new JsonObject() },
            // Converse cannot forbid tools it was given; LiteLLM drops "none" or refuses it.
            "none" when dropUnsupported => null,
            "none" => throw new ProviderRequestException($"{Provider} does not support tool_choice 'none'. To drop it, set `drop_params: true`.", "tool_choice"),
            var other => throw new ProviderRequestException($"tool_choice '{other}' is not supported by {Provider}.", "tool_choice"),
        },
        JsonObject named when Text(named["function"]?["name"]) is { } name => new JsonObject { ["tool"] = new JsonObject { ["name"] = name } },
        _ => throw new ProviderRequestException("tool_choice must be 'auto', 'none', 'required' or a named function.", "tool_choice"),
    };
}
