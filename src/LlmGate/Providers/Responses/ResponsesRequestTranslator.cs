using System.Text.Json;
using System.Text.Json.Nodes;
using static LlmGate.Providers.OpenAiChatRequest;

namespace LlmGate.Providers.Responses;

/// <summary>
/// Turns an OpenAI Responses API request into an OpenAI chat completion request, for deployments that only speak chat
/// (the bridge LiteLLM calls <c>litellm_completion_transformation</c>). What only a stateful Responses server or
/// OpenAI's hosted tools can do is refused with a 400 that says so, rather than answered differently.
/// </summary>
internal static class ResponsesRequestTranslator
{
    private const string Bridge = "a deployment bridged onto chat completions";

    // OpenAI's hosted tools: they run on OpenAI's side, so no chat model can call them.
    private static readonly HashSet<string> BuiltInTools =
    [
        "web_search", "web_search_preview", "web_search_preview_2025_03_11", "file_search", "computer_use_preview",
        "computer_use", "code_interpreter", "image_generation", "mcp", "local_shell", "shell",
    ];

    public static byte[] ToChatCompletions(ReadOnlySpan<byte> responsesBody)
    {
        JsonObject request;
        try
        {
            request = JsonNode.Parse(responsesBody) as JsonObject
                ?? throw new ProviderRequestException("The request body must be a JSON object.");
        }
        catch (JsonException)
        {
            throw new ProviderRequestException("The request body must be a JSON object.");
        }

        RefuseStateful(request);
        var chat = new JsonObject();
        if (request["model"] is { } model)
        {
            chat["model"] = model.DeepClone();
        }

        chat["messages"] = ResponsesInput.ToMessages(Text(request["instructions"]), request["input"]);
        Tools(request, chat);
        Parameters(request, chat);
        if (request["stream"] is JsonValue stream && stream.GetValueKind() == JsonValueKind.True)
        {
            chat["stream"] = true;
            chat["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        return ProviderJson.ToUtf8(chat, responsesBody.Length + 256);
    }

    private static void RefuseStateful(JsonObject request)
    {
        if (Text(request["previous_response_id"]) is not null)
        {
            throw new ProviderRequestException(
                "previous_response_id needs a deployment that stores responses (OpenAI, Azure); send the whole conversation in input instead.",
                "previous_response_id");
        }

        if (request["conversation"] is { } conversation && conversation.GetValueKind() != JsonValueKind.Null)
        {
            throw new ProviderRequestException(
                "conversation needs a deployment that stores conversations (OpenAI, Azure); send the whole conversation in input instead.",
                "conversation");
        }

        if (request["background"] is JsonValue background && background.GetValueKind() == JsonValueKind.True)
        {
            throw new ProviderRequestException(
                "background: true needs a deployment that runs and stores responses (OpenAI, Azure); send the request without it.",
                "background");
        }

        if (request["prompt"] is JsonObject)
        {
            throw new ProviderRequestException(
                "prompt templates are stored by OpenAI and cannot be used with " + Bridge + "; send instructions and input instead.",
                "prompt");
        }
    }

    private static void Tools(JsonObject request, JsonObject chat)
    {
        if (request["tools"] is JsonArray tools && tools.Count > 0)
        {
            var translated = new JsonArray();
            for (var i = 0; i < tools.Count; i++)
            {
                var path = $"tools[{i}]";
                var tool = tools[i] as JsonObject ?? throw new ProviderRequestException($"'{path}' must be an object.", path);
                var type = Text(tool["type"]);
                if (type != "function")
                {
                    throw new ProviderRequestException(
                        BuiltInTools.Contains(type ?? "")
                            ? $"The built-in tool '{type}' runs only on OpenAI and Azure deployments, not on {Bridge}; define it as a function tool instead."
                            : $"Tool type '{type}' is not supported by {Bridge}; only function tools are.",
                        path);
                }

                // The Responses API's function tool is flat; chat nests it under "function".
                var function = new JsonObject
                {
                    ["name"] = Text(tool["name"]) ?? throw new ProviderRequestException($"'{path}.name' is required.", path + ".name"),
                };
                foreach (var name in (ReadOnlySpan<string>)["description", "parameters", "strict"])
                {
                    if (tool[name] is { } value && value.GetValueKind() != JsonValueKind.Null)
                    {
                        function[name] = value.DeepClone();
                    }
                }

                translated.Add(new JsonObject { ["type"] = "function", ["function"] = function });
            }

            chat["tools"] = translated;
        }

        if (ToolChoice(request["tool_choice"]) is { } choice)
        {
            chat["tool_choice"] = choice;
        }
    }

    private static JsonNode? ToolChoice(JsonNode? toolChoice) => toolChoice switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.Null => null,
        JsonValue value when Text(value) is "auto" or "none" or "required" => value.GetValue<string>(),
        JsonObject named when Text(named["type"]) == "function" && Text(named["name"]) is { } name =>
            new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = name } },
        JsonObject other => throw new ProviderRequestException(
            $"tool_choice of type '{Text(other["type"])}' is not supported by {Bridge}; use 'auto', 'none', 'required' or a named function.",
            "tool_choice"),
        _ => throw new ProviderRequestException("tool_choice must be 'auto', 'none', 'required' or a named function.", "tool_choice"),
    };

    // Dropped on purpose: metadata and store (nothing is stored on the bridge), truncation (chat has no server-side
    // context to truncate; an over-long input fails upstream as it would with 'disabled'), include (asks for output the
    // bridge does not produce: encrypted reasoning, hosted tool results), and reasoning.summary / text.verbosity
    // (presentation hints chat has no place for).
    private static void Parameters(JsonObject request, JsonObject chat)
    {
        foreach (var name in (ReadOnlySpan<string>)["parallel_tool_calls", "temperature", "top_p", "user"])
        {
            if (request[name] is { } value && value.GetValueKind() != JsonValueKind.Null)
            {
                chat[name] = value.DeepClone();
            }
        }

        if (request["max_output_tokens"] is { } maxTokens && maxTokens.GetValueKind() != JsonValueKind.Null)
        {
            chat["max_tokens"] = maxTokens.DeepClone();
        }

        if (request["reasoning"] is JsonObject reasoning && Text(reasoning["effort"]) is { } effort)
        {
            chat["reasoning_effort"] = effort;
        }

        if (request["text"] is JsonObject text && text["format"] is JsonObject format)
        {
            JsonObject? responseFormat = Text(format["type"]) switch
            {
                "text" => null,
                "json_object" => new JsonObject { ["type"] = "json_object" },
                "json_schema" => JsonSchema(format),
                var other => throw new ProviderRequestException($"text.format type '{other}' is not supported; use 'text', 'json_object' or 'json_schema'.", "text.format.type"),
            };
            if (responseFormat is not null)
            {
                chat["response_format"] = responseFormat;
            }
        }
    }

    // Responses: {type, name, schema, strict, description} flat; chat: the same under "json_schema".
    private static JsonObject JsonSchema(JsonObject format)
    {
        var schema = new JsonObject
        {
            ["name"] = Text(format["name"]) ?? throw new ProviderRequestException("'text.format.name' is required for a json_schema format.", "text.format.name"),
        };
        foreach (var name in (ReadOnlySpan<string>)["description", "schema", "strict"])
        {
            if (format[name] is { } value && value.GetValueKind() != JsonValueKind.Null)
            {
                schema[name] = value.DeepClone();
            }
        }

        return new JsonObject { ["type"] = "json_schema", ["json_schema"] = schema };
    }
}
