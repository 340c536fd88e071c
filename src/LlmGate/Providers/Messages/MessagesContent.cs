using System.Text;
using System.Text.Json;
using static LlmGate.Providers.ProviderJson;

namespace LlmGate.Providers.Messages;

/// <summary>
/// Writes the messages of an Anthropic request as OpenAI chat messages, for <see cref="MessagesRequestTranslator"/>.
/// Errors name the field (<c>messages[2].content[0]</c>), as OpenAI's <c>param</c> does.
/// </summary>
internal static class MessagesContent
{
    private const string NotHere = "is not supported by this model (it is not an Anthropic deployment)";

    /// <summary><c>system</c>, a string or text blocks, as one system message; <c>cache_control</c> has no OpenAI form and is dropped.</summary>
    public static void System(JsonElement system, Utf8JsonWriter writer)
    {
        string text;
        if (system.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return;
        }
        else if (system.ValueKind == JsonValueKind.String)
        {
            text = system.GetString()!;
        }
        else if (system.ValueKind == JsonValueKind.Array)
        {
            var joined = new StringBuilder();
            var i = 0;
            foreach (var block in system.EnumerateArray())
            {
                var path = $"system[{i++}]";
                if (String(block, "type") != "text")
                {
                    throw new ProviderRequestException($"'{path}' must be a text block.", path);
                }

                joined.Append(joined.Length > 0 ? "\n" : "").Append(Text(block, path));
            }

            text = joined.ToString();
        }
        else
        {
            throw new ProviderRequestException("'system' must be a string or a list of text blocks.", "system");
        }

        if (text.Length > 0)
        {
            writer.WriteStartObject();
            writer.WriteString("role", "system");
            writer.WriteString("content", text);
            writer.WriteEndObject();
        }
    }

    public static void Message(JsonElement message, string path, Utf8JsonWriter writer)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            throw new ProviderRequestException($"'{path}' must be an object.", path);
        }

        var content = Property(message, "content");
        if (content.ValueKind is not (JsonValueKind.String or JsonValueKind.Array))
        {
            throw new ProviderRequestException($"'{path}.content' is required and must be a string or a list of content blocks.", path + ".content");
        }

        switch (String(message, "role"))
        {
            case "user":
                User(content, path, writer);
                break;
            case "assistant":
                Assistant(content, path, writer);
                break;
            default:
                throw new ProviderRequestException($"'{path}.role' must be 'user' or 'assistant'.", path + ".role");
        }
    }

    // OpenAI wants each tool result as a tool message right after the assistant's tool calls, so a user turn's
    // tool_result blocks come first, and its other blocks follow as one user message.
    private static void User(JsonElement content, string path, Utf8JsonWriter writer)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            WriteMessage(writer, "user", content.GetString()!);
            return;
        }

        var parts = new List<(JsonElement Block, string Path)>();
        var j = 0;
        foreach (var block in content.EnumerateArray())
        {
            var blockPath = $"{path}.content[{j++}]";
            switch (String(block, "type"))
            {
                case "tool_result":
                    ToolResult(block, blockPath, writer, parts);
                    break;
                case "text" or "image" or "document":
                    parts.Add((block, blockPath));
                    break;
                case var type:
                    throw Unsupported(type, blockPath);
            }
        }

        if (parts.Count == 0)
        {
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("role", "user");
        if (parts is [{ Block: var only, Path: var onlyPath }] && String(only, "type") == "text")
        {
            writer.WriteString("content", Text(only, onlyPath));
        }
        else
        {
            writer.WriteStartArray("content");
            foreach (var (block, blockPath) in parts)
            {
                Part(block, blockPath, writer);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void Part(JsonElement block, string path, Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        switch (String(block, "type"))
        {
            case "text":
                writer.WriteString("type", "text");
                writer.WriteString("text", Text(block, path));
                break;
            case "image":
                writer.WriteString("type", "image_url");
                writer.WriteStartObject("image_url");
                writer.WriteString("url", ImageUrl(Property(block, "source"), path));
                writer.WriteEndObject();
                break;
            default:
                Document(block, path, writer);
                break;
        }

        writer.WriteEndObject();
    }

    // Anthropic: {"type":"base64","media_type","data"} or {"type":"url","url"}; OpenAI: a data URL or the URL.
    private static string ImageUrl(JsonElement source, string path)
    {
        switch (String(source, "type"))
        {
            case "base64" when String(source, "media_type") is { } mediaType && String(source, "data") is { } data:
                return $"data:{mediaType};base64,{data}";
            case "url" when String(source, "url") is { } url:
                return url;
            default:
                throw new ProviderRequestException($"'{path}.source' must be a base64 source (media_type, data) or a url source for this model.", path + ".source");
        }
    }

    // A base64 PDF is OpenAI's file part; a plain-text document is text. URL and file-id documents would need the
    // gateway to fetch or upload them, which it does not.
    private static void Document(JsonElement block, string path, Utf8JsonWriter writer)
    {
        var source = Property(block, "source");
        switch (String(source, "type"))
        {
            case "base64" when String(source, "media_type") == "application/pdf" && String(source, "data") is { } data:
                writer.WriteString("type", "file");
                writer.WriteStartObject("file");
                writer.WriteString("filename", String(block, "title") ?? "document.pdf");
                writer.WriteString("file_data", $"data:application/pdf;base64,{data}");
                writer.WriteEndObject();
                break;
            case "text" when String(source, "data") is { } text:
                writer.WriteString("type", "text");
                writer.WriteString("text", text);
                break;
            case var type:
                throw new ProviderRequestException(
                    $"'{path}': a document from a '{type}' source {NotHere}; send a base64 PDF or a text source.", path + ".source");
        }
    }

    // A tool message carries text only: text blocks are joined; images, which Claude Code's Read tool returns, go to the
    // user message that follows, so the model still sees them.
    private static void ToolResult(JsonElement block, string path, Utf8JsonWriter writer, List<(JsonElement Block, string Path)> parts)
    {
        var id = String(block, "tool_use_id") ?? throw new ProviderRequestException($"'{path}.tool_use_id' is required and must be a string.", path + ".tool_use_id");
        var content = Property(block, "content");
        var text = new StringBuilder();
        var images = 0;
        if (content.ValueKind == JsonValueKind.String)
        {
            text.Append(content.GetString());
        }
        else if (content.ValueKind == JsonValueKind.Array)
        {
            var k = 0;
            foreach (var inner in content.EnumerateArray())
            {
                var innerPath = $"{path}.content[{k++}]";
                switch (String(inner, "type"))
                {
                    case "text":
                        text.Append(text.Length > 0 ? "\n" : "").Append(Text(inner, innerPath));
                        break;
                    case "image":
                        parts.Add((inner, innerPath));
                        images++;
                        break;
                    case var type:
                        throw Unsupported(type, innerPath);
                }
            }
        }
        else if (content.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
        {
            throw new ProviderRequestException($"'{path}.content' must be a string or a list of content blocks.", path + ".content");
        }

        if (text.Length == 0 && images > 0)
        {
            text.Append("(The result is the image in the next message.)");
        }

        // OpenAI's tool message has no error flag: the model learns it from the text.
        if (Property(block, "is_error").ValueKind == JsonValueKind.True)
        {
            text.Insert(0, "Error: ");
        }

        writer.WriteStartObject();
        writer.WriteString("role", "tool");
        writer.WriteString("tool_call_id", id);
        writer.WriteString("content", text.ToString());
        writer.WriteEndObject();
    }

    // Text blocks join into the content; tool_use blocks become tool calls whose arguments are the input as JSON text;
    // thinking blocks are dropped: their signatures mean nothing to another provider.
    private static void Assistant(JsonElement content, string path, Utf8JsonWriter writer)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            WriteMessage(writer, "assistant", content.GetString()!);
            return;
        }

        var text = new StringBuilder();
        var toolUses = new List<(JsonElement Block, string Path)>();
        var j = 0;
        foreach (var block in content.EnumerateArray())
        {
            var blockPath = $"{path}.content[{j++}]";
            switch (String(block, "type"))
            {
                case "text":
                    text.Append(Text(block, blockPath));
                    break;
                case "tool_use":
                    toolUses.Add((block, blockPath));
                    break;
                case "thinking" or "redacted_thinking":
                    break;
                case var type:
                    throw Unsupported(type, blockPath);
            }
        }

        writer.WriteStartObject();
        writer.WriteString("role", "assistant");
        if (text.Length == 0 && toolUses.Count > 0)
        {
            writer.WriteNull("content"); // as OpenAI writes a turn of only tool calls
        }
        else
        {
            writer.WriteString("content", text.ToString());
        }

        if (toolUses.Count > 0)
        {
            writer.WriteStartArray("tool_calls");
            foreach (var (block, blockPath) in toolUses)
            {
                ToolCall(block, blockPath, writer);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void ToolCall(JsonElement block, string path, Utf8JsonWriter writer)
    {
        var input = Property(block, "input");
        if (input.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
        {
            throw new ProviderRequestException($"'{path}.input' must be an object.", path + ".input");
        }

        writer.WriteStartObject();
        writer.WriteString("id", String(block, "id") ?? throw new ProviderRequestException($"'{path}.id' is required and must be a string.", path + ".id"));
        writer.WriteString("type", "function");
        writer.WriteStartObject("function");
        writer.WriteString("name", String(block, "name") ?? throw new ProviderRequestException($"'{path}.name' is required and must be a string.", path + ".name"));
        writer.WriteString("arguments", input.ValueKind == JsonValueKind.Object ? Compact(input) : "{}");
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter writer, string role, string content)
    {
        writer.WriteStartObject();
        writer.WriteString("role", role);
        writer.WriteString("content", content);
        writer.WriteEndObject();
    }

    private static string Text(JsonElement block, string path) =>
        String(block, "text") ?? throw new ProviderRequestException($"'{path}.text' is required and must be a string.", path + ".text");

    private static ProviderRequestException Unsupported(string? type, string path) => type is null
        ? new ProviderRequestException($"'{path}' must be a content block with a 'type'.", path + ".type")
        : new ProviderRequestException($"Content block type '{type}' in '{path}' {NotHere}.", path + ".type");
}
