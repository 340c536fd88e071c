using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmGate.Providers;

/// <summary>
/// Reads the pieces of an OpenAI chat request that every translating provider reads alike: message content parts,
/// data URLs, tool call arguments, stop sequences. Errors name the request field, as OpenAI's <c>param</c> does.
/// </summary>
internal static class OpenAiChatRequest
{
    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>
    /// Refuses, naming the field, what would change the answer and has no form at <paramref name="provider"/>: the
    /// parameters in <paramref name="unsupported"/> (unless null or false, which ask for nothing), a non-empty
    /// <c>logit_bias</c>, a modality other than text.
    /// </summary>
    public static void Refuse(JsonObject request, ReadOnlySpan<string> unsupported, string provider)
    {
        foreach (var name in unsupported)
        {
            if (request[name] is { } value && value.GetValueKind() is not (JsonValueKind.Null or JsonValueKind.False))
            {
                throw new ProviderRequestException($"'{name}' is not supported by {provider}.", name);
            }
        }

        if (request["logit_bias"] is JsonObject { Count: > 0 })
        {
            throw new ProviderRequestException($"'logit_bias' is not supported by {provider}.", "logit_bias");
        }

        if (request["modalities"] is JsonArray modalities && modalities.Any(m => Text(m) != "text"))
        {
            throw new ProviderRequestException($"Only the 'text' modality is supported by {provider} in this version of LlmGate.", "modalities");
        }
    }

    /// <summary>Refuses <c>n</c> other than 1 for a provider that answers one choice per request, rather than answer fewer.</summary>
    public static void RefuseChoices(JsonObject request, string provider)
    {
        if (request["n"] is JsonValue n && !(n.TryGetValue<double>(out var count) && count == 1))
        {
            throw new ProviderRequestException($"'n' must be 1 for {provider}: it answers one choice per request.", "n");
        }
    }

    /// <summary>
    /// The request's messages in order, each with its place (<c>messages[2]</c>, for errors) and role; a missing or empty
    /// list and a message that is not an object are refused.
    /// </summary>
    public static IEnumerable<(JsonObject Message, string Path, string? Role)> Messages(JsonObject request)
    {
        if (request["messages"] is not JsonArray messages)
        {
            throw new ProviderRequestException("'messages' must be a list.", "messages");
        }

        if (messages.Count == 0)
        {
            throw new ProviderRequestException("'messages' must not be empty.", "messages");
        }

        for (var i = 0; i < messages.Count; i++)
        {
            var path = $"messages[{i}]";
            var message = messages[i] as JsonObject ?? throw new ProviderRequestException($"'{path}' must be an object.", path);
            yield return (message, path, Text(message["role"]));
        }
    }

    /// <summary>
    /// A message's content (at <paramref name="path"/>, e.g. <c>messages[2]</c>) as parts. Empty texts are left out:
    /// providers refuse empty text blocks, and an assistant turn with only tool calls often carries "".
    /// </summary>
    public static IEnumerable<ChatContentPart> Parts(JsonNode? content, string path)
    {
        if (content is null)
        {
            yield break;
        }

        if (content.GetValueKind() == JsonValueKind.String)
        {
            if (content.GetValue<string>() is { Length: > 0 } text)
            {
                yield return new ChatContentPart("text", text, null, path + ".content");
            }

            yield break;
        }

        if (content is not JsonArray parts)
        {
            throw new ProviderRequestException($"'{path}.content' must be a string or a list of content parts.", path + ".content");
        }

        for (var j = 0; j < parts.Count; j++)
        {
            var partPath = $"{path}.content[{j}]";
            var part = parts[j] as JsonObject ?? throw new ProviderRequestException($"'{partPath}' must be an object.", partPath);
            var type = Text(part["type"]);
            if (type != "text")
            {
                yield return new ChatContentPart(type, null, part, partPath);
            }
            else if (Text(part["text"]) is { Length: > 0 } text)
            {
                yield return new ChatContentPart(type, text, part, partPath);
            }
        }
    }

    /// <summary>An <c>image_url</c> part's URL: OpenAI sends <c>{"url", "detail"}</c> or, in older clients, the bare string.</summary>
    public static string? ImageUrl(JsonNode? imageUrl) => imageUrl is JsonObject inner ? Text(inner["url"]) : Text(imageUrl);

    /// <summary>The media type and data of a <c>data:&lt;type&gt;;base64,&lt;data&gt;</c> URL; null for any other URL.</summary>
    public static (string MediaType, string Data)? Base64DataUrl(string url)
    {
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (!url.StartsWith("data:", StringComparison.OrdinalIgnoreCase) || comma < 0)
        {
            return null;
        }

        var header = url[5..comma];
        return header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase) ? (header[..^";base64".Length], url[(comma + 1)..]) : null;
    }

    /// <summary>An assistant message's <c>tool_calls</c>, each with its <c>function</c> and its place in the request (<c>messages[1].tool_calls[0]</c>).</summary>
    public static IEnumerable<(JsonObject Call, JsonObject Function, string Path)> ToolCalls(JsonNode? toolCalls, string path)
    {
        if (toolCalls is not JsonArray calls)
        {
            yield break;
        }

        for (var k = 0; k < calls.Count; k++)
        {
            var callPath = $"{path}.tool_calls[{k}]";
            if (calls[k] is not JsonObject call || call["function"] is not JsonObject function)
            {
                throw new ProviderRequestException($"'{callPath}.function' is required.", callPath);
            }

            yield return (call, function, callPath);
        }
    }

    /// <summary>An assistant tool call's <c>function.arguments</c> (a JSON string) as the object providers take; none is <c>{}</c>.</summary>
    /// <param name="callPath">The call's place in the request, e.g. <c>messages[1].tool_calls[0]</c>.</param>
    public static JsonObject ToolCallArguments(JsonObject function, string callPath, string provider)
    {
        var arguments = Text(function["arguments"]);
        try
        {
            if (string.IsNullOrWhiteSpace(arguments))
            {
                return [];
            }

            if (JsonNode.Parse(arguments) is JsonObject parsed)
            {
                return parsed;
            }
        }
        catch (JsonException)
        {
            // Refused below, as any arguments that are not an object.
        }

        throw new ProviderRequestException($"'{callPath}.function.arguments' must be a JSON object for {provider}.", callPath + ".function.arguments");
    }

    /// <summary>OpenAI's <c>stop</c>, a string or a list, as the list providers take; null when absent.</summary>
    public static JsonArray? StopSequences(JsonNode? stop) => stop switch
    {
        JsonArray stops => (JsonArray)stops.DeepClone(),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => [value.GetValue<string>()],
        _ => null,
    };
}
