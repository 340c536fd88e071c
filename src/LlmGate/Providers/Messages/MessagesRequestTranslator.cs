using System.Buffers;
using System.Text.Json;
using LlmGate.OpenAi;
using static LlmGate.Providers.ProviderJson;

namespace LlmGate.Providers.Messages;

/// <summary>
/// Turns an Anthropic Messages API request (Claude Code, Anthropic's SDKs) into an OpenAI chat completions request, for
/// a deployment that is not Anthropic: <c>system</c> to a system message, content blocks to parts, <c>tool_use</c> to
/// tool calls, <c>tool_result</c> to tool messages, tools and <c>tool_choice</c> to functions, <c>thinking</c> to
/// <c>reasoning_effort</c>. The reverse of <see cref="AnthropicRequestTranslator"/>; fields OpenAI has no place for are
/// dropped (as LiteLLM does), what would change the answer and has no equivalent is refused, naming the field.
/// </summary>
internal static class MessagesRequestTranslator
{
    /// <summary>Anthropic request body to OpenAI chat body; <c>model</c> is copied (the gateway rewrites it later).</summary>
    public static byte[] ToChatCompletions(ReadOnlySpan<byte> messagesBody)
    {
        using var document = Parse(messagesBody);
        var request = document.RootElement;
        if (request.ValueKind != JsonValueKind.Object)
        {
            throw new ProviderRequestException("The request body must be a JSON object.");
        }

        var model = String(request, "model") ?? throw new ProviderRequestException("'model' is required and must be a string.", "model");
        var messages = Property(request, "messages");
        if (messages.ValueKind != JsonValueKind.Array)
        {
            throw new ProviderRequestException("'messages' is required and must be a list.", "messages");
        }

        if (messages.GetArrayLength() == 0)
        {
            throw new ProviderRequestException("'messages' must not be empty.", "messages");
        }

        var buffer = new ArrayBufferWriter<byte>(messagesBody.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("model", model);
            writer.WriteStartArray("messages");
            MessagesContent.System(Property(request, "system"), writer);
            var i = 0;
            foreach (var message in messages.EnumerateArray())
            {
                MessagesContent.Message(message, $"messages[{i++}]", writer);
            }

            writer.WriteEndArray();
            Parameters(request, writer);
            Tools(request, writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static JsonDocument Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            return JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new ProviderRequestException($"The request body is not valid JSON: {e.Message}", e);
        }
    }

    private static void Parameters(JsonElement request, Utf8JsonWriter writer)
    {
        // OpenAI's o-series want max_completion_tokens; the providers' adapters rename it where needed.
        foreach (var name in (ReadOnlySpan<string>)["max_tokens", "temperature", "top_p"])
        {
            var value = Property(request, name);
            if (value.ValueKind == JsonValueKind.Number)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }
            else if (value.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
            {
                throw new ProviderRequestException($"'{name}' must be a number.", name);
            }
        }

        // top_k has no OpenAI equivalent and only narrows sampling: dropped, as LiteLLM does.
        var stops = Property(request, "stop_sequences");
        if (stops.ValueKind == JsonValueKind.Array && stops.GetArrayLength() > 0)
        {
            writer.WriteStartArray("stop");
            var i = 0;
            foreach (var stop in stops.EnumerateArray())
            {
                writer.WriteStringValue(stop.ValueKind == JsonValueKind.String
                    ? stop.GetString()
                    : throw new ProviderRequestException($"'stop_sequences[{i}]' must be a string.", $"stop_sequences[{i}]"));
                i++;
            }

            writer.WriteEndArray();
        }
        else if (stops.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Array))
        {
            throw new ProviderRequestException("'stop_sequences' must be a list of strings.", "stop_sequences");
        }

        var stream = Property(request, "stream");
        if (stream.ValueKind == JsonValueKind.True)
        {
            writer.WriteBoolean("stream", true);

            // Anthropic reports output tokens at the end of every stream; OpenAI only when asked.
            writer.WriteStartObject("stream_options");
            writer.WriteBoolean("include_usage", true);
            writer.WriteEndObject();
        }
        else if (stream.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.False))
        {
            throw new ProviderRequestException("'stream' must be a boolean.", "stream");
        }

        if (String(Property(request, "metadata"), "user_id") is { } user)
        {
            writer.WriteString("user", user);
        }

        if (ReasoningEffort(request) is { } effort)
        {
            writer.WriteString("reasoning_effort", effort);
        }
    }

    // LiteLLM's mapping for a model that is not Claude: a budget bucketed to an effort, adaptive thinking at the
    // effort output_config names (else medium), disabled thinking as nothing.
    private static string? ReasoningEffort(JsonElement request)
    {
        var thinking = Property(request, "thinking");
        if (thinking.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }

        return String(thinking, "type") switch
        {
            "enabled" => ReasoningBudgets.EffortFor(Number(thinking, "budget_tokens")),
            "adaptive" => String(Property(request, "output_config"), "effort") ?? "medium",
            "disabled" => null,
            var other => throw new ProviderRequestException($"'thinking.type' must be 'enabled', 'adaptive' or 'disabled', not '{other}'.", "thinking.type"),
        };
    }

    private static void Tools(JsonElement request, Utf8JsonWriter writer)
    {
        var tools = Property(request, "tools");
        if (tools.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return;
        }

        if (tools.ValueKind != JsonValueKind.Array)
        {
            throw new ProviderRequestException("'tools' must be a list.", "tools");
        }

        // OpenAI refuses tool_choice and parallel_tool_calls without tools; without tools they ask for nothing.
        if (tools.GetArrayLength() == 0)
        {
            return;
        }

        writer.WriteStartArray("tools");
        var i = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            Tool(tool, $"tools[{i++}]", writer);
        }

        writer.WriteEndArray();
        ToolChoice(Property(request, "tool_choice"), writer);
    }

    private static void Tool(JsonElement tool, string path, Utf8JsonWriter writer)
    {
        if (tool.ValueKind != JsonValueKind.Object)
        {
            throw new ProviderRequestException($"'{path}' must be an object.", path);
        }

        // A client tool has no type or "custom"; any other type (web_search_20250305, bash_20250124, ...) is a tool
        // Anthropic runs on its side, which no OpenAI-shaped deployment can.
        var type = String(tool, "type");
        var name = String(tool, "name");
        if (type is not (null or "custom"))
        {
            throw new ProviderRequestException(
                $"'{path}' is Anthropic's server tool '{type}'{(name is null ? "" : $" ('{name}')")}, which only Anthropic can run; it is not supported by this model.", path + ".type");
        }

        writer.WriteStartObject();
        writer.WriteString("type", "function");
        writer.WriteStartObject("function");
        writer.WriteString("name", name ?? throw new ProviderRequestException($"'{path}.name' is required and must be a string.", path + ".name"));
        if (String(tool, "description") is { } description)
        {
            writer.WriteString("description", description);
        }

        var schema = Property(tool, "input_schema");
        writer.WritePropertyName("parameters");
        if (schema.ValueKind == JsonValueKind.Object)
        {
            schema.WriteTo(writer);
        }
        else if (schema.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "object");
            writer.WriteStartObject("properties");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        else
        {
            throw new ProviderRequestException($"'{path}.input_schema' must be a JSON schema object.", path + ".input_schema");
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void ToolChoice(JsonElement choice, Utf8JsonWriter writer)
    {
        if (choice.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return;
        }

        if (choice.ValueKind != JsonValueKind.Object)
        {
            throw new ProviderRequestException("'tool_choice' must be an object.", "tool_choice");
        }

        switch (String(choice, "type"))
        {
            case "auto":
                writer.WriteString("tool_choice", "auto");
                break;
            case "any":
                writer.WriteString("tool_choice", "required");
                break;
            case "none":
                writer.WriteString("tool_choice", "none");
                break;
            case "tool":
                writer.WriteStartObject("tool_choice");
                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", String(choice, "name") ?? throw new ProviderRequestException("'tool_choice.name' is required for type 'tool'.", "tool_choice.name"));
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
            case var other:
                throw new ProviderRequestException($"'tool_choice.type' must be 'auto', 'any', 'tool' or 'none', not '{other}'.", "tool_choice.type");
        }

        if (Property(choice, "disable_parallel_tool_use").ValueKind == JsonValueKind.True)
        {
            writer.WriteBoolean("parallel_tool_calls", false);
        }
    }
}
